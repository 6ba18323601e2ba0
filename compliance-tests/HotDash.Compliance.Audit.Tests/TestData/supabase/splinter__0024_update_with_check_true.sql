-- supabase/splinter test/sql/0024_rls_policy_always_true.sql, lines 9-14 and 96-103 verbatim: the linter's table and
-- its case "UPDATE with WITH CHECK (true) SHOULD be flagged".
  create table public.posts(
    id int primary key,
    user_id uuid,
    title text
  );
  alter table public.posts enable row level security;

  -- Test: UPDATE with WITH CHECK (true) SHOULD be flagged
  ----------------------------------------
  create policy "update_with_check_true"
  on public.posts
  for update
  to authenticated
  using (user_id = auth.uid())
  with check (true);
