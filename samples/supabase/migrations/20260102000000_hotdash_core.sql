-- HotDash: the operator control center's tables. Every table must have row-level security:
-- the Supabase API exposes the public schema to the anon and authenticated roles.

CREATE TABLE public.shops (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_domain text NOT NULL UNIQUE,
  installed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.operators (
  id uuid PRIMARY KEY REFERENCES auth.users (id),
  shop_id bigint NOT NULL REFERENCES public.shops (id),
  display_name text NOT NULL
);

CREATE TABLE public.tickets (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id bigint NOT NULL REFERENCES public.shops (id),
  subject text NOT NULL,
  status text NOT NULL DEFAULT 'open'
);

CREATE TABLE public.conversations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id bigint NOT NULL REFERENCES public.shops (id),
  chatwoot_conversation_id bigint NOT NULL
);

CREATE TABLE public.agent_runs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id bigint NOT NULL REFERENCES public.shops (id),
  started_at timestamptz NOT NULL DEFAULT now(),
  model text NOT NULL
);

CREATE TABLE public.decisions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agent_run_id bigint NOT NULL REFERENCES public.agent_runs (id),
  action text NOT NULL,
  reason text
);

CREATE TABLE public.inventory_alerts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id bigint NOT NULL REFERENCES public.shops (id),
  sku text NOT NULL,
  threshold integer NOT NULL
);

-- The operator's shops, for policies.
CREATE FUNCTION public.operator_shop_ids() RETURNS SETOF bigint
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
  AS $$ SELECT shop_id FROM public.operators WHERE id = auth.uid() $$;

ALTER TABLE public.shops ENABLE ROW LEVEL SECURITY;
CREATE POLICY shops_of_operator ON public.shops FOR SELECT TO authenticated
  USING (id IN (SELECT public.operator_shop_ids()));

ALTER TABLE public.operators ENABLE ROW LEVEL SECURITY;
CREATE POLICY operators_self ON public.operators FOR SELECT TO authenticated
  USING (id = auth.uid());

ALTER TABLE public.tickets ENABLE ROW LEVEL SECURITY;
CREATE POLICY tickets_of_operator ON public.tickets TO authenticated
  USING (shop_id IN (SELECT public.operator_shop_ids()))
  WITH CHECK (shop_id IN (SELECT public.operator_shop_ids()));

ALTER TABLE public.conversations ENABLE ROW LEVEL SECURITY;
CREATE POLICY conversations_of_operator ON public.conversations FOR SELECT TO authenticated
  USING (shop_id IN (SELECT public.operator_shop_ids()));

ALTER TABLE public.agent_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY agent_runs_of_operator ON public.agent_runs FOR SELECT TO authenticated
  USING (shop_id IN (SELECT public.operator_shop_ids()));

ALTER TABLE public.decisions ENABLE ROW LEVEL SECURITY;
CREATE POLICY decisions_of_operator ON public.decisions FOR SELECT TO authenticated
  USING (agent_run_id IN (SELECT id FROM public.agent_runs));

-- The drift the audit exists to catch: inventory_alerts was added in a hurry, without RLS.
-- (No ALTER TABLE public.inventory_alerts ENABLE ROW LEVEL SECURITY here.)

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO authenticated;
