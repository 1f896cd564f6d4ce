CREATE TABLE public.users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text, last_seen timestamp);
