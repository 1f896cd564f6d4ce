CREATE TABLE public.notes (
    id serial PRIMARY KEY,
    owner text NOT NULL,
    title text NOT NULL,
    public boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner, title)
);
CREATE TABLE public.tags (
    note_id integer NOT NULL REFERENCES public.notes (id) ON DELETE CASCADE,
    tag text NOT NULL,
    PRIMARY KEY (note_id, tag)
);
CREATE FUNCTION public.noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
