-- 004_manifest.sql — the change feed sync uses: what exists for this caller, right now.
--
-- sitegen_manifest('posts' | 'pages' | 'media') returns a JSON array of
-- [slug_or_path, version, updated_at, author_id, editable] for every row the caller may read, in
-- key order; `editable` says whether the caller's role lets them change the row (006_members.sql),
-- so push knows which keys it may send before it tries.
-- It runs with the caller's rights (security invoker), so RLS applies: anonymous callers get the
-- published rows of members, members also what they may edit. One request per table tells sync
-- exactly what changed since its last sync: a key missing from the manifest was deleted,
-- unpublished or became invisible; a different version means changed; a scheduled post shows up
-- when its time comes. No tombstone table is needed. Idempotent: create or replace (the rule it
-- embeds comes from 006; PL/pgSQL resolves it when called, so the files run in order).

create or replace function public.sitegen_manifest(kind text)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  name_column text;
  is_draft text;
  result jsonb;
begin
  case kind
    when 'posts', 'pages' then
      name_column := 'slug';
      is_draft := 'r.draft';
    when 'media' then
      name_column := 'path';
      is_draft := 'false';
    else
      raise exception 'sitegen: unknown manifest kind %', kind
        using errcode = '22023', hint = 'use posts, pages or media';
  end case;
  execute format(
    'select coalesce(jsonb_agg(jsonb_build_array(r.%1$I, r.version, r.updated_at, r.author_id, %3$s)'
    '                          order by r.%1$I), ''[]''::jsonb) '
    'from public.%2$I r',
    name_column, kind, sitegen_private.can_edit_sql('r.author_id', is_draft))
  into result;
  return result;
end
$$;

revoke all on function public.sitegen_manifest(text) from public;
grant execute on function public.sitegen_manifest(text) to anon, authenticated;
