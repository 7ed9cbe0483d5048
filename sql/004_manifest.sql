-- 004_manifest.sql — the change feed sync uses: what exists for this caller, right now.
--
-- sitegen_manifest('posts' | 'pages' | 'media') returns a JSON array of
-- [slug_or_path, version, updated_at, author_id] for every row the caller may read, in key order.
-- It runs with the caller's rights (security invoker), so RLS applies: anonymous callers get
-- published rows, authors also get their own drafts. One request per table tells sync exactly what
-- changed since its last sync: a key missing from the manifest was deleted, unpublished or became
-- invisible; a different version means changed; a scheduled post shows up when its time comes.
-- No tombstone table is needed. Idempotent: create or replace.

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
      return coalesce((select jsonb_agg(jsonb_build_array(p.slug, p.version, p.updated_at, p.author_id)
                                        order by p.slug)
                       from public.posts p), '[]'::jsonb);
    when 'pages' then
      return coalesce((select jsonb_agg(jsonb_build_array(p.slug, p.version, p.updated_at, p.author_id)
                                        order by p.slug)
                       from public.pages p), '[]'::jsonb);
    when 'media' then
      return coalesce((select jsonb_agg(jsonb_build_array(m.path, m.version, m.updated_at, m.author_id)
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
