DROP TABLE public.tags; DROP TABLE public.notes;
