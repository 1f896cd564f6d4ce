CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TYPE public.mood AS ENUM ('happy', 'neutral', 'sad');

CREATE TABLE public.users (
    id text PRIMARY KEY,
    name text,
    email text UNIQUE,
    last_seen timestamp DEFAULT now()
);

CREATE TABLE public.todos (
    id serial PRIMARY KEY,
    user_id text NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    title text NOT NULL,
    done boolean NOT NULL DEFAULT false,
    priority integer,
    mood public.mood,
    meta jsonb,
    due date,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.tags (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    todo_id integer NOT NULL REFERENCES public.todos (id) ON DELETE CASCADE,
    label varchar(40) NOT NULL,
    weight numeric DEFAULT 1.50,
    UNIQUE (todo_id, label)
);

CREATE TABLE public.teams (
    id serial PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE public.members (
    team_id integer NOT NULL REFERENCES public.teams (id),
    user_id text NOT NULL REFERENCES public.users (id),
    PRIMARY KEY (team_id, user_id)
);

CREATE VIEW public.user_stats AS
    SELECT user_id, count(*) AS open_todos FROM public.todos WHERE NOT done GROUP BY user_id;
