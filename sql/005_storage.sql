-- 005_storage.sql — the public `media` bucket and who may write into it.
--
-- Anyone may read media through public URLs (the site links to them), so the bucket is public.
-- Writing is limited to each author's own folder: object names are <author_id>/<sha256>/<file>,
-- and every policy checks that the first folder is the caller's user id. The SELECT policy is
-- there because Storage needs it for upserts and removals (it looks the object up first); it is
-- limited to the author's folder too, since public reads go through the public URL.
-- Idempotent: the bucket is created once; policies are dropped and re-created.

insert into storage.buckets (id, name, public)
values ('media', 'media', true)
on conflict (id) do nothing;

drop policy if exists "sitegen media: authors read their own folder" on storage.objects;
create policy "sitegen media: authors read their own folder" on storage.objects
  for select to authenticated
  using (bucket_id = 'media' and (storage.foldername(name))[1] = (select auth.uid())::text);

drop policy if exists "sitegen media: authors upload into their own folder" on storage.objects;
create policy "sitegen media: authors upload into their own folder" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'media' and (storage.foldername(name))[1] = (select auth.uid())::text);

drop policy if exists "sitegen media: authors update their own folder" on storage.objects;
create policy "sitegen media: authors update their own folder" on storage.objects
  for update to authenticated
  using (bucket_id = 'media' and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id = 'media' and (storage.foldername(name))[1] = (select auth.uid())::text);

drop policy if exists "sitegen media: authors delete from their own folder" on storage.objects;
create policy "sitegen media: authors delete from their own folder" on storage.objects
  for delete to authenticated
  using (bucket_id = 'media' and (storage.foldername(name))[1] = (select auth.uid())::text);
