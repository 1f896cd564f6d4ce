DROP VIEW public.online_users; DROP TABLE public.todos; DROP TABLE public.users;
