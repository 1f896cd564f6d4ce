-- The tables behind the yardstick schema, written by hand.
CREATE TABLE public.users (
    id text PRIMARY KEY,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen timestamptz
);

CREATE TABLE public.todos (
    id serial PRIMARY KEY,
    title text NOT NULL,
    is_completed boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    is_public boolean NOT NULL DEFAULT false,
    user_id text NOT NULL REFERENCES public.users (id) ON UPDATE CASCADE ON DELETE CASCADE
);

CREATE VIEW public.online_users AS
    SELECT id, last_seen FROM public.users
    WHERE last_seen >= now() - interval '30 seconds';
