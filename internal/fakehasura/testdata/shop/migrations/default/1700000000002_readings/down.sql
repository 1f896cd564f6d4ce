DROP TABLE public.readings;
