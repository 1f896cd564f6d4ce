ALTER TABLE "public"."users" DROP COLUMN "password";
