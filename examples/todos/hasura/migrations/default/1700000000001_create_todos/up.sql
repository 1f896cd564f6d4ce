CREATE TABLE public.todos (
    id serial PRIMARY KEY,
    user_id text NOT NULL REFERENCES public.users (id) ON UPDATE CASCADE ON DELETE CASCADE,
    title text NOT NULL,
    done boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX todos_user_id_idx ON public.todos (user_id);
