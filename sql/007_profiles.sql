-- 007_profiles.sql — authors as people: one profile per account, and posts naming their authors.
--
-- profiles: display name, slug (the author page /authors/<slug>/), a short bio and an avatar (the
-- path of a row in `media`, e.g. authors/ada.png, so the image syncs like any other media file).
-- Editable only by its own account, and only while that account is a member.
-- Who may read a profile (least privilege: a profile says who writes here, so no more than the
-- site itself shows):
--   anyone    the profiles of members who wrote, or are named as co-authors of, published content
--   members   every member's profile (to name co-authors), and their own
-- No email address is stored here; members' emails stay in `members`, readable by owners only.
-- posts.authors / pages.authors: the profile slugs of a document's authors, in order (front matter
-- `authors: [ada, bob]`). Slugs only; a profile that does not exist is the build's to report.
-- Idempotent: columns and constraints re-created, policies dropped and re-created.

create table if not exists public.profiles (
  user_id     uuid primary key default auth.uid() references auth.users (id) on delete cascade,
  slug        text not null unique
              check (length(slug) <= 100 and slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name        text not null check (length(btrim(name)) between 1 and 200),
  bio         text not null default '' check (length(bio) <= 2000),
  avatar      text check (avatar is null
                          or (length(avatar) <= 400
                              and avatar !~ '[[:cntrl:]\\]'
                              and avatar ~ '^[^/.][^/]*(/[^/.][^/]*)*$')),
  updated_at  timestamptz not null default now()
);

create or replace function sitegen_private.profiles_before_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    new.user_id := old.user_id;           -- a profile never changes hands
  end if;
  new.updated_at := now();
  return new;
end
$$;
revoke all on function sitegen_private.profiles_before_write() from public;

drop trigger if exists sitegen_profiles_before_write on public.profiles;
create trigger sitegen_profiles_before_write before insert or update on public.profiles
  for each row execute function sitegen_private.profiles_before_write();

-- Profile slugs of a document's authors: at most 20, each a profile slug.
create or replace function sitegen_private.are_profile_slugs(items text[])
returns boolean
language sql
immutable
as $$
  select cardinality(items) <= 20
     and coalesce(bool_and(item is not null and length(item) <= 100
                           and item ~ '^[a-z0-9]+(-[a-z0-9]+)*$'), true)
  from unnest(items) item
$$;
grant execute on function sitegen_private.are_profile_slugs(text[]) to anon, authenticated;

alter table public.posts add column if not exists authors text[] not null default '{}';
alter table public.pages add column if not exists authors text[] not null default '{}';
alter table public.posts drop constraint if exists posts_authors_are_slugs;
alter table public.posts add constraint posts_authors_are_slugs
  check (sitegen_private.are_profile_slugs(authors));
alter table public.pages drop constraint if exists pages_authors_are_slugs;
alter table public.pages add constraint pages_authors_are_slugs
  check (sitegen_private.are_profile_slugs(authors));

-- The accounts whose profile the public may read: members who own or are named in published
-- content. Reads posts/pages with the definer's rights, so it states "published" itself.
create or replace function sitegen_private.published_author_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  with published as (
    select author_id, authors from public.posts
    where not draft and (publish_at is null or publish_at <= now())
    union all
    select author_id, authors from public.pages
    where not draft and (publish_at is null or publish_at <= now())
  ), members as (
    select sitegen_private.member_ids() as id
  )
  select pub.author_id from published pub where pub.author_id in (select id from members)
  union
  select pr.user_id from public.profiles pr
  where pr.user_id in (select id from members)
    and exists (select 1 from published pub
                where pr.slug = any (pub.authors) and pub.author_id in (select id from members))
$$;
revoke all on function sitegen_private.published_author_ids() from public;
grant execute on function sitegen_private.published_author_ids() to anon, authenticated;

revoke all on table public.profiles from anon, authenticated;
grant select on table public.profiles to anon;
grant select, insert, update, delete on table public.profiles to authenticated;
alter table public.profiles enable row level security;

drop policy if exists "profiles of published authors are public" on public.profiles;
create policy "profiles of published authors are public" on public.profiles
  for select to anon, authenticated
  using (user_id in (select sitegen_private.published_author_ids()));

drop policy if exists "members read members' profiles" on public.profiles;
create policy "members read members' profiles" on public.profiles
  for select to authenticated
  using ((select sitegen_private.role()) is not null
         and user_id in (select sitegen_private.member_ids()));

drop policy if exists "everyone reads their own profile" on public.profiles;
create policy "everyone reads their own profile" on public.profiles
  for select to authenticated
  using (user_id = (select auth.uid()));

drop policy if exists "members create their own profile" on public.profiles;
create policy "members create their own profile" on public.profiles
  for insert to authenticated
  with check (user_id = (select auth.uid()) and (select sitegen_private.role()) is not null);

drop policy if exists "members update their own profile" on public.profiles;
create policy "members update their own profile" on public.profiles
  for update to authenticated
  using (user_id = (select auth.uid()) and (select sitegen_private.role()) is not null)
  with check (user_id = (select auth.uid()) and (select sitegen_private.role()) is not null);

drop policy if exists "everyone deletes their own profile" on public.profiles;
create policy "everyone deletes their own profile" on public.profiles
  for delete to authenticated
  using (user_id = (select auth.uid()));

-- The profiles of the authors of what the caller may read: owners of posts/pages and the slugs
-- their `authors` name, as a JSON array of [slug, name, bio, avatar] in slug order. Runs with the
-- caller's rights, so RLS decides on both the documents and the profiles; `sitegen pull` writes
-- each to content/authors/<slug>.md.
create or replace function public.sitegen_authors()
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  with documents as (
    select author_id, authors from public.posts
    union all
    select author_id, authors from public.pages
  )
  select coalesce(jsonb_agg(jsonb_build_array(pr.slug, pr.name, pr.bio, pr.avatar)
                            order by pr.slug), '[]'::jsonb)
  from public.profiles pr
  where pr.user_id in (select d.author_id from documents d)
     or pr.slug in (select unnest(d.authors) from documents d)
$$;
revoke all on function public.sitegen_authors() from public;
grant execute on function public.sitegen_authors() to anon, authenticated;
