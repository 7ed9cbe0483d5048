-- 008_history.sql — history that nothing can lose: every earlier version of a post or page.
--
-- A trigger copies the old row into `revisions` on every UPDATE and DELETE of posts and pages,
-- whoever makes it (push, push --force, an editor, the dashboard). The table is append-only for
-- everyone but the database owner: the API roles have no INSERT, UPDATE or DELETE grant on it
-- and no policy allows one; only the trigger (running as the table owner) adds rows.
-- A revision is readable by whoever may edit a row of its author in its state
-- (sitegen_private.can_edit_sql): the author, and editors and owners.
-- sitegen_restore(kind, slug, version) writes a stored version back as a new version, under the
-- caller's rights (RLS decides, as for any edit); `sitegen restore` calls it.
-- Idempotent: table and index created once, functions replaced, triggers re-created.

create table if not exists public.revisions (
  id                bigint generated always as identity primary key,
  kind              text not null check (kind in ('posts', 'pages')),
  row_id            uuid not null,
  slug              text not null,
  author_id         uuid not null,          -- no foreign key: history outlives accounts
  version           integer not null,
  title             text not null,
  body              text not null,
  draft             boolean not null,
  publish_at        timestamptz,
  front             jsonb not null,
  authors           text[] not null,
  updated_at        timestamptz not null,   -- when this version was written
  updated_by_email  text,                   -- and by whom
  replaced_at       timestamptz not null default now(),
  replaced_by_email text,
  operation         text not null check (operation in ('update', 'delete'))
);
create index if not exists revisions_key_idx on public.revisions (kind, slug, version);

create or replace function sitegen_private.keep_revision()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.revisions (kind, row_id, slug, author_id, version, title, body, draft,
                                publish_at, front, authors, updated_at, updated_by_email,
                                replaced_by_email, operation)
  values (tg_table_name, old.id, old.slug, old.author_id, old.version, old.title, old.body,
          old.draft, old.publish_at, old.front, old.authors, old.updated_at,
          old.updated_by_email, auth.jwt() ->> 'email', lower(tg_op));
  return null;
end
$$;
revoke all on function sitegen_private.keep_revision() from public;

drop trigger if exists sitegen_keep_revision on public.posts;
create trigger sitegen_keep_revision after update or delete on public.posts
  for each row execute function sitegen_private.keep_revision();
drop trigger if exists sitegen_keep_revision on public.pages;
create trigger sitegen_keep_revision after update or delete on public.pages
  for each row execute function sitegen_private.keep_revision();

revoke all on table public.revisions from anon, authenticated;
grant select on table public.revisions to authenticated;
alter table public.revisions enable row level security;

do $$
begin
  drop policy if exists "editors of a row read its history" on public.revisions;
  execute format($p$
    create policy "editors of a row read its history" on public.revisions
    for select to authenticated using %s$p$,
    sitegen_private.can_edit_sql('author_id', 'draft'));
end
$$;

-- Write version `version_number` of kind/slug back as a new version; returns the new version.
-- Runs as the caller: it only finds revisions they may read, and the write goes through the
-- same policies and version trigger as any edit. A deleted row is created again.
create or replace function public.sitegen_restore(kind text, slug text, version_number integer)
returns integer
language plpgsql
security invoker
set search_path = ''
as $$
declare
  old public.revisions;
  written integer;
begin
  if kind not in ('posts', 'pages') then
    raise exception 'sitegen: cannot restore %/%', kind, slug
      using errcode = '22023', hint = 'keys are posts/<slug> or pages/<slug>';
  end if;
  select r.* into old from public.revisions r
  where r.kind = sitegen_restore.kind and r.slug = sitegen_restore.slug
    and r.version = version_number
  order by r.id desc limit 1;
  if not found then
    raise exception 'sitegen: %/% has no earlier version % you may read', kind, slug, version_number
      using errcode = 'P0002', hint = 'run `sitegen history` for the versions there are';
  end if;
  execute format(
    'update public.%I set title = $1, body = $2, draft = $3, publish_at = $4, front = $5, '
    'authors = $6, version = version + 1 where slug = $7 returning version', kind)
    using old.title, old.body, old.draft, old.publish_at, old.front, old.authors, slug
    into written;
  if written is null then                 -- deleted (or not editable by the caller): create it
    begin
      execute format(
        'insert into public.%I (slug, title, body, draft, publish_at, front, authors, version) '
        'values ($1, $2, $3, $4, $5, $6, $7, $8) returning version', kind)
        using slug, old.title, old.body, old.draft, old.publish_at, old.front, old.authors,
              (select max(r.version) + 1 from public.revisions r
               where r.kind = sitegen_restore.kind and r.slug = sitegen_restore.slug)
        into written;
    exception when unique_violation then
      raise exception 'sitegen: you may not edit %/%', kind, slug
        using errcode = '42501', hint = 'ask its author or an editor';
    end;
  end if;
  return written;
end
$$;
revoke all on function public.sitegen_restore(text, text, integer) from public;
grant execute on function public.sitegen_restore(text, text, integer) to authenticated;
