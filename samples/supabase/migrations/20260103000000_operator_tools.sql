-- HotDash operator console, added in a hurry. Both statements carry the exposures the access audit
-- exists to catch: RLS is enabled on every one of these tables, and still:

-- Operators correct the agent's decisions. The policy forgot to say whose: any signed-in user of any shop
-- rewrites every decision (HD5006).
CREATE POLICY decisions_correct ON public.decisions FOR UPDATE TO authenticated
  USING (true) WITH CHECK (true);

-- A maintenance helper that silences a shop's inventory alerts. SECURITY DEFINER so it can reach every
-- shop's rows, and callable over RPC by anyone holding the anon key, since functions are executable by
-- PUBLIC unless revoked (HD5008).
CREATE FUNCTION public.silence_inventory_alerts(p_shop_id bigint) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = ''
  AS $$ UPDATE public.inventory_alerts SET threshold = 0 WHERE shop_id = p_shop_id $$;
