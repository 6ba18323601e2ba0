-- supabase/realtime-js issue #233 "Custom Headers not present in RLS" (riderx, 2023-03-20): the reporter's table and
-- the expression of the policy they added "on ALL", verbatim; the CREATE POLICY around the expression and the RLS
-- switch are ours (the report shows the expression as the dashboard's policy editor takes it).
CREATE TABLE "public"."test_realtime_rls" (
    "id" int8 NOT NULL,
    "created_at" timestamptz DEFAULT now(),
    PRIMARY KEY ("id")
);
ALTER TABLE "public"."test_realtime_rls" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "capgkey header" ON "public"."test_realtime_rls" FOR ALL
  USING ((((current_setting('request.headers'::text, true))::json ->> 'capgkey'::text) = '8fd6f83fd1842b0d79cc212a133c4f10'::text));
