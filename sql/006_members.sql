-- 006_members.sql — members and roles: only members write, and what they may do depends on
-- their role, checked by PostgreSQL on every request.
--
--   owner        everything an editor may, and manages members (the `members` table)
--   editor       reads, edits, publishes, unpublishes and deletes anyone's posts, pages, media
--   author       creates, edits, publishes and deletes their own
--   contributor  creates and edits their own drafts; cannot publish or schedule (draft = false,
--                whether dated now or in the future, is refused), cannot upload media
--   anyone else  (anonymous, or an account that is not a member) reads published content only
--
-- Membership is looked up per request (sitegen_private.role(), by auth.uid()), never carried in
-- the login token: adding, removing or changing a member applies on their next request.
-- A member is named by email. The row applies to the account with that email only once the
-- address is confirmed (auth.users.email_confirmed_at), so an invitation for an address without
-- an account takes effect when it signs up AND confirms, never for an unconfirmed address.
-- Published rows are public only while their author is a member: a non-member's rows never
-- reach a pull (nor the manifest, which runs under these policies).
--
-- The first owner is named once by the project's admin (SQL editor, as `postgres`):
--   insert into public.members (email, role) values ('owner@example.com', 'owner')
--     on conflict (email) do update set role = excluded.role;
-- Nobody else can: only owners may insert into `members`.
-- Existing sites: on the first run (no member yet), every confirmed account that already owns
-- content becomes an `author`, so nothing that was published disappears; review them with
-- `sitegen members list`. Later runs never add anyone.
-- Idempotent: functions replaced, policies dropped and re-created.

-- The helper functions live in a schema the Data API does not expose: policies call them, but
-- they cannot be called as /rest/v1/rpc/... endpoints.
create schema if not exists sitegen_private;
revoke all on schema sitegen_private from public;
grant usage on schema sitegen_private to anon, authenticated;

create table if not exists public.members (
  email       text primary key
              check (length(email) <= 320 and email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
  role        text not null check (role in ('owner', 'editor', 'author', 'contributor')),
  added_by    text,                       -- the owner's email; null when added by the admin
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);

-- Emails are compared in lower case (Supabase Auth stores them so); the caller cannot forge
-- added_by or the times. Removing or demoting the last owner is refused: a site always keeps one.
create or replace function sitegen_private.members_before_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') and old.role = 'owner'
     and (tg_op = 'DELETE' or new.role <> 'owner')
     and not exists (select 1 from public.members m where m.role = 'owner' and m.email <> old.email)
  then
    raise exception 'sitegen: % is the last owner', old.email
      using errcode = 'P0001', hint = 'make another member owner first';
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  new.email := lower(btrim(new.email));
  new.updated_at := now();
  if tg_op = 'INSERT' then
    new.created_at := now();
    new.added_by := auth.jwt() ->> 'email';
  else
    new.email := old.email;               -- an address is removed and added, never renamed
    new.created_at := old.created_at;
    new.added_by := old.added_by;
  end if;
  return new;
end
$$;

drop trigger if exists sitegen_members_before_write on public.members;
create trigger sitegen_members_before_write before insert or update or delete on public.members
  for each row execute function sitegen_private.members_before_write();

-- The caller's role, or null (anonymous, not a member, or the address not confirmed).
create or replace function sitegen_private.role()
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select m.role
  from auth.users u
  join public.members m on m.email = u.email
  where u.id = auth.uid() and u.email_confirmed_at is not null
$$;

-- The accounts that are members right now.
create or replace function sitegen_private.member_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select u.id
  from public.members m
  join auth.users u on u.email = m.email
  where u.email_confirmed_at is not null
$$;

-- May the caller change (and read unpublished) a row whose author is the SQL expression `author`,
-- in the draft state `is_draft`? The one rule every policy, the manifest and the history use,
-- returned as SQL text for them to embed (policies are created from it below, in DO blocks).
-- Embedded rather than called: the role and the member list are then uncorrelated subqueries,
-- which PostgreSQL evaluates once per statement; a function call would repeat them per row.
create or replace function sitegen_private.can_edit_sql(author text, is_draft text)
returns text
language sql
immutable
set search_path = ''
as $$
  select format($rule$(case (select sitegen_private.role())
      when 'owner' then %1$s in (select sitegen_private.member_ids())
      when 'editor' then %1$s in (select sitegen_private.member_ids())
      when 'author' then %1$s = (select auth.uid())
      when 'contributor' then %1$s = (select auth.uid()) and %2$s
      else false
    end)$rule$, author, is_draft)
$$;

revoke all on function sitegen_private.members_before_write() from public;
revoke all on function sitegen_private.role() from public;
revoke all on function sitegen_private.member_ids() from public;
revoke all on function sitegen_private.can_edit_sql(text, text) from public;
grant execute on function sitegen_private.role() to anon, authenticated;
grant execute on function sitegen_private.member_ids() to anon, authenticated;
grant execute on function sitegen_private.can_edit_sql(text, text) to anon, authenticated;

-- Existing sites: the accounts that already have content keep publishing (first run only).
insert into public.members (email, role)
select distinct u.email, 'author'
from auth.users u
where not exists (select 1 from public.members)
  and u.email is not null
  and u.email_confirmed_at is not null
  and (exists (select 1 from public.posts p where p.author_id = u.id)
       or exists (select 1 from public.pages p where p.author_id = u.id)
       or exists (select 1 from public.media m where m.author_id = u.id))
on conflict (email) do nothing;

-- members: owners read and manage the list; nobody else sees it ----------------------------------

revoke all on table public.members from anon, authenticated;
grant select, insert, update, delete on table public.members to authenticated;
alter table public.members enable row level security;

-- One policy for every command, so no command can be looser than the others.
drop policy if exists "owners read members" on public.members;
drop policy if exists "owners add members" on public.members;
drop policy if exists "owners change roles" on public.members;
drop policy if exists "owners remove members" on public.members;
drop policy if exists "owners manage members" on public.members;
create policy "owners manage members" on public.members
  for all to authenticated
  using ((select sitegen_private.role()) = 'owner')
  with check ((select sitegen_private.role()) = 'owner');

-- The caller's own role (null: not a member), for `sitegen members` and `sitegen whoami`.
create or replace function public.sitegen_my_role()
returns text
language sql
stable
security invoker
set search_path = ''
as $$
  select sitegen_private.role()
$$;

-- Owners: every member and invitation, [email, role, pending]; pending while no confirmed
-- account has that address.
create or replace function public.sitegen_members()
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if sitegen_private.role() is distinct from 'owner' then
    raise exception 'sitegen: only owners can list members'
      using errcode = '42501', hint = 'ask an owner of the site';
  end if;
  return coalesce(
    (select jsonb_agg(jsonb_build_array(
              m.email,
              m.role,
              not exists (select 1 from auth.users u
                          where u.email = m.email and u.email_confirmed_at is not null))
            order by m.email)
     from public.members m),
    '[]'::jsonb);
end
$$;

revoke all on function public.sitegen_my_role() from public;
revoke all on function public.sitegen_members() from public;
grant execute on function public.sitegen_my_role() to anon, authenticated;
grant execute on function public.sitegen_members() to authenticated;

-- posts and pages -------------------------------------------------------------------------------
-- "Published": draft = false and the publish time has come (null = at once), so a scheduled row
-- appears by itself when its time comes.

do $$
declare
  t text;
  may_edit text := sitegen_private.can_edit_sql('author_id', 'draft');
begin
  foreach t in array array['posts', 'pages'] loop
    -- the policies of earlier versions (003), by name
    execute format('drop policy if exists %I on public.%I', 'published ' || t || ' are public', t);
    execute format('drop policy if exists %I on public.%I', 'authors read their own ' || t, t);
    execute format('drop policy if exists %I on public.%I', 'authors create their own ' || t, t);
    execute format('drop policy if exists %I on public.%I', 'authors update their own ' || t, t);
    execute format('drop policy if exists %I on public.%I', 'authors delete their own ' || t, t);

    execute format('drop policy if exists %I on public.%I', 'members'' published ' || t || ' are public', t);
    execute format($p$
      create policy %I on public.%I for select to anon, authenticated
      using (not draft and (publish_at is null or publish_at <= now())
             and author_id in (select sitegen_private.member_ids()))$p$,
      'members'' published ' || t || ' are public', t);

    execute format('drop policy if exists %I on public.%I', 'members read the ' || t || ' they may edit', t);
    execute format($p$
      create policy %I on public.%I for select to authenticated
      using %s$p$,
      'members read the ' || t || ' they may edit', t, may_edit);

    execute format('drop policy if exists %I on public.%I', 'members create their own ' || t, t);
    execute format($p$
      create policy %I on public.%I for insert to authenticated
      with check (author_id = (select auth.uid()) and %s)$p$,
      'members create their own ' || t, t, may_edit);

    execute format('drop policy if exists %I on public.%I', 'members update the ' || t || ' they may edit', t);
    execute format($p$
      create policy %I on public.%I for update to authenticated
      using %s
      with check %s$p$,
      'members update the ' || t || ' they may edit', t, may_edit, may_edit);

    execute format('drop policy if exists %I on public.%I', 'members delete the ' || t || ' they may edit', t);
    execute format($p$
      create policy %I on public.%I for delete to authenticated
      using %s$p$,
      'members delete the ' || t || ' they may edit', t, may_edit);
  end loop;
end
$$;

-- media rows: public while their author is a member; authors write their own, editors anyone's.
-- (A media row has no draft state: every file is on the site at once, which is why contributors
-- cannot add one.)

drop policy if exists "media rows are public" on public.media;
drop policy if exists "authors create their own media" on public.media;
drop policy if exists "authors update their own media" on public.media;
drop policy if exists "authors delete their own media" on public.media;

drop policy if exists "members' media rows are public" on public.media;
create policy "members' media rows are public" on public.media
  for select to anon, authenticated
  using (author_id in (select sitegen_private.member_ids()));

do $$
declare
  may_edit text := sitegen_private.can_edit_sql('author_id', 'false');
begin
  drop policy if exists "members create their own media" on public.media;
  execute format($p$
    create policy "members create their own media" on public.media for insert to authenticated
    with check (author_id = (select auth.uid()) and %s)$p$, may_edit);

  drop policy if exists "members update the media they may edit" on public.media;
  execute format($p$
    create policy "members update the media they may edit" on public.media
    for update to authenticated using %s with check %s$p$, may_edit, may_edit);

  drop policy if exists "members delete the media they may edit" on public.media;
  execute format($p$
    create policy "members delete the media they may edit" on public.media
    for delete to authenticated using %s$p$, may_edit);
end
$$;

-- Storage: files are read through public URLs. Members who may add media upload, replace, look up
-- and delete files in their own folder <user id>/...; nobody writes anywhere else. One policy for
-- every command (Storage looks an object up before an upsert or removal, so it needs SELECT too).

drop policy if exists "sitegen media: authors read their own folder" on storage.objects;
drop policy if exists "sitegen media: authors upload into their own folder" on storage.objects;
drop policy if exists "sitegen media: authors update their own folder" on storage.objects;
drop policy if exists "sitegen media: authors delete from their own folder" on storage.objects;

do $$
declare
  own_folder text := format(
    $c$(bucket_id = 'media' and (storage.foldername(name))[1] = (select auth.uid())::text and %s)$c$,
    sitegen_private.can_edit_sql('(select auth.uid())', 'false'));
begin
  drop policy if exists "sitegen media: members manage their own folder" on storage.objects;
  execute format($p$
    create policy "sitegen media: members manage their own folder" on storage.objects
    for all to authenticated using %s with check %s$p$, own_folder, own_folder);
end
$$;
