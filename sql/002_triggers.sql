-- 002_triggers.sql — timestamps, authorship and optimistic concurrency, kept by PostgreSQL.
--
-- Clients cannot forge created_at/updated_at/updated_by or take over a row: the triggers overwrite
-- those columns. Optimistic concurrency: a client sends `version = <the version it based its edit
-- on> + 1` (a new key sends 1). An UPDATE is accepted only if that is exactly the stored version + 1;
-- otherwise the whole statement (a whole batch) fails with SQLSTATE P0001 and a JSON DETAIL naming
-- the remote version, time and editor, so sync can report a conflict instead of losing an edit.
-- The same rule holds for PostgREST upserts (INSERT ... ON CONFLICT DO UPDATE): the EXCLUDED row
-- carries the sent version into the UPDATE trigger, which is why the INSERT trigger keeps it as sent.
-- Idempotent: functions are replaced, triggers dropped and re-created.

create or replace function public.sitegen_before_insert()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.created_at := now();
  new.updated_at := now();
  new.updated_by := auth.uid();
  new.updated_by_email := auth.jwt() ->> 'email';
  return new;
end
$$;

create or replace function public.sitegen_before_update()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  -- posts/<slug>, pages/<slug> or media/<path>: the key sync reports
  row_key text;
begin
  if new.version is distinct from old.version + 1 then
    row_key := tg_table_name || '/' || coalesce(to_jsonb(old) ->> 'slug', to_jsonb(old) ->> 'path');
    raise exception 'sitegen: version conflict on %', row_key
      using errcode = 'P0001',
            detail = jsonb_build_object(
              'key', row_key,
              'remote_version', old.version,
              'sent_version', new.version,
              'updated_at', old.updated_at,
              'updated_by_email', old.updated_by_email)::text,
            hint = 'send version = remote_version + 1 after merging the remote edit';
  end if;
  new.id := old.id;
  new.author_id := old.author_id;    -- ownership never changes
  new.created_at := old.created_at;
  new.updated_at := now();
  new.updated_by := auth.uid();
  new.updated_by_email := auth.jwt() ->> 'email';
  return new;
end
$$;

revoke all on function public.sitegen_before_insert() from public;
revoke all on function public.sitegen_before_update() from public;

drop trigger if exists sitegen_before_insert on public.posts;
create trigger sitegen_before_insert before insert on public.posts
  for each row execute function public.sitegen_before_insert();
drop trigger if exists sitegen_before_update on public.posts;
create trigger sitegen_before_update before update on public.posts
  for each row execute function public.sitegen_before_update();

drop trigger if exists sitegen_before_insert on public.pages;
create trigger sitegen_before_insert before insert on public.pages
  for each row execute function public.sitegen_before_insert();
drop trigger if exists sitegen_before_update on public.pages;
create trigger sitegen_before_update before update on public.pages
  for each row execute function public.sitegen_before_update();

drop trigger if exists sitegen_before_insert on public.media;
create trigger sitegen_before_insert before insert on public.media
  for each row execute function public.sitegen_before_insert();
drop trigger if exists sitegen_before_update on public.media;
create trigger sitegen_before_update before update on public.media
  for each row execute function public.sitegen_before_update();
