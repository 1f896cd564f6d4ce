CREATE TABLE public.users (
    id text PRIMARY KEY,
    name text,
    last_seen timestamp DEFAULT now()
);
