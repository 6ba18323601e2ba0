-- The read-only role the compliance audit connects as. Least privilege: it reads the catalog (which every
-- role can) and needs no right on any table of yours, nor USAGE on their schemas; the one exception is
-- reading storage.buckets, whose rows say which buckets are public (HD5011): SELECT on it, and a policy that lets this
-- role see every row, since Supabase turns row-level security on there (with SELECT alone it would see no bucket, and
-- the audit says the buckets were not judged rather than judge none). default_transaction_read_only
-- makes any write fail, belt and braces with the audit's own READ ONLY transaction.
-- Replace the password, or use your platform's secret store; psql: \set auditor_password '...'
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hotdash_auditor') THEN
    CREATE ROLE hotdash_auditor LOGIN;
  END IF;
END
$$;
ALTER ROLE hotdash_auditor PASSWORD :'auditor_password';
ALTER ROLE hotdash_auditor SET default_transaction_read_only = on;
ALTER ROLE hotdash_auditor SET statement_timeout = '30s';
-- Buckets are rows, not catalog data: without these the audit reports that it could not judge them. CREATE POLICY
-- needs the owner of storage.buckets (supabase_storage_admin) or a member of that role.
GRANT USAGE ON SCHEMA storage TO hotdash_auditor;
GRANT SELECT ON storage.buckets TO hotdash_auditor;
DROP POLICY IF EXISTS hotdash_auditor_reads_buckets ON storage.buckets;
CREATE POLICY hotdash_auditor_reads_buckets ON storage.buckets FOR SELECT TO hotdash_auditor USING (true);
