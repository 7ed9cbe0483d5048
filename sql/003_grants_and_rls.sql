-- 003_grants_and_rls.sql — who may do what, enforced by PostgreSQL for every API request.
--
-- Least privilege in two layers. GRANTs say which statements a role may run at all (new Supabase
-- projects no longer grant public tables to the API roles, and older ones granted everything, so
-- we revoke first and grant exactly what is needed). Row Level Security then says which rows.
--   anon (no login):         read published rows only.
--   authenticated (authors): read published rows, and read/write/delete their OWN rows, drafts
--                            included. Nobody can change or delete another author's row.
-- "Published" means draft = false and the publish time has come (null = immediately), so a
-- scheduled post appears by itself when its time comes. Policies use (select auth.uid()) so
-- PostgreSQL evaluates it once per statement instead of once per row (Supabase's advice).
-- Idempotent: grants are re-applied, policies dropped and re-created.

grant usage on schema public to anon, authenticated;

revoke all on table public.posts, public.pages, public.media from anon, authenticated;
grant select on table public.posts, public.pages, public.media to anon;
grant select, insert, update, delete on table public.posts, public.pages, public.media to authenticated;

alter table public.posts enable row level security;
alter table public.pages enable row level security;
alter table public.media enable row level security;

-- posts ------------------------------------------------------------------------------------------

-- Readers (logged in or not) see what is published; drafts and future posts stay private.
drop policy if exists "published posts are public" on public.posts;
create policy "published posts are public" on public.posts
  for select to anon, authenticated
  using (not draft and (publish_at is null or publish_at <= now()));

-- Authors see all of their own posts, so they can pull and edit drafts and scheduled posts.
drop policy if exists "authors read their own posts" on public.posts;
create policy "authors read their own posts" on public.posts
  for select to authenticated
  using (author_id = (select auth.uid()));

-- An author can only create rows owned by themselves (author_id defaults to auth.uid()).
drop policy if exists "authors create their own posts" on public.posts;
create policy "authors create their own posts" on public.posts
  for insert to authenticated
  with check (author_id = (select auth.uid()));

-- Only the owner may edit, and the row must stay theirs afterwards.
drop policy if exists "authors update their own posts" on public.posts;
create policy "authors update their own posts" on public.posts
  for update to authenticated
  using (author_id = (select auth.uid()))
  with check (author_id = (select auth.uid()));

-- Only the owner may delete.
drop policy if exists "authors delete their own posts" on public.posts;
create policy "authors delete their own posts" on public.posts
  for delete to authenticated
  using (author_id = (select auth.uid()));

-- pages: the same rules as posts -----------------------------------------------------------------

drop policy if exists "published pages are public" on public.pages;
create policy "published pages are public" on public.pages
  for select to anon, authenticated
  using (not draft and (publish_at is null or publish_at <= now()));

drop policy if exists "authors read their own pages" on public.pages;
create policy "authors read their own pages" on public.pages
  for select to authenticated
  using (author_id = (select auth.uid()));

drop policy if exists "authors create their own pages" on public.pages;
create policy "authors create their own pages" on public.pages
  for insert to authenticated
  with check (author_id = (select auth.uid()));

drop policy if exists "authors update their own pages" on public.pages;
create policy "authors update their own pages" on public.pages
  for update to authenticated
  using (author_id = (select auth.uid()))
  with check (author_id = (select auth.uid()));

drop policy if exists "authors delete their own pages" on public.pages;
create policy "authors delete their own pages" on public.pages
  for delete to authenticated
  using (author_id = (select auth.uid()));

-- media: the files are public (the bucket is public), so their descriptions are too -------------

drop policy if exists "media rows are public" on public.media;
create policy "media rows are public" on public.media
  for select to anon, authenticated
  using (true);

drop policy if exists "authors create their own media" on public.media;
create policy "authors create their own media" on public.media
  for insert to authenticated
  with check (author_id = (select auth.uid()));

drop policy if exists "authors update their own media" on public.media;
create policy "authors update their own media" on public.media
  for update to authenticated
  using (author_id = (select auth.uid()))
  with check (author_id = (select auth.uid()));

drop policy if exists "authors delete their own media" on public.media;
create policy "authors delete their own media" on public.media
  for delete to authenticated
  using (author_id = (select auth.uid()));
