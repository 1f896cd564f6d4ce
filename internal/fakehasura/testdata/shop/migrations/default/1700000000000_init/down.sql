DROP VIEW public.user_stats; DROP TABLE public.members, public.teams, public.tags, public.todos, public.users; DROP TYPE public.mood;
