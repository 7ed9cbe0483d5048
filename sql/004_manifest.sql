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
-- when its time comes. No tombstone table is needed. Idempotent: create or replace (the function
-- it calls is created by 006; PL/pgSQL resolves it when called, so the files run in order).

create or replace function public.sitegen_manifest(kind text)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  case kind
    when 'posts' then
      return coalesce((select jsonb_agg(jsonb_build_array(p.slug, p.version, p.updated_at, p.author_id,
                                                          sitegen_private.can_edit(p.author_id, p.draft))
                                        order by p.slug)
                       from public.posts p), '[]'::jsonb);
    when 'pages' then
      return coalesce((select jsonb_agg(jsonb_build_array(p.slug, p.version, p.updated_at, p.author_id,
                                                          sitegen_private.can_edit(p.author_id, p.draft))
                                        order by p.slug)
                       from public.pages p), '[]'::jsonb);
    when 'media' then
      return coalesce((select jsonb_agg(jsonb_build_array(m.path, m.version, m.updated_at, m.author_id,
                                                          sitegen_private.can_edit(m.author_id, false))
                                        order by m.path)
                       from public.media m), '[]'::jsonb);
    else
      raise exception 'sitegen: unknown manifest kind %', kind
        using errcode = '22023', hint = 'use posts, pages or media';
  end case;
end
$$;

revoke all on function public.sitegen_manifest(text) from public;
grant execute on function public.sitegen_manifest(text) to anon, authenticated;
