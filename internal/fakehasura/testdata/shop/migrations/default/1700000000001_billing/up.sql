CREATE SCHEMA billing;

CREATE TABLE billing.invoices (
    id bigserial PRIMARY KEY,
    user_id text NOT NULL REFERENCES public.users (id),
    amount numeric NOT NULL,
    paid boolean DEFAULT false,
    ratio double precision
);
