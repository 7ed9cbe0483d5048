-- 005_storage.sql — the public `media` bucket.
--
-- Anyone may read media through public URLs (the site links to them), so the bucket is public.
-- Who may write into it (members, each into their own folder) is set by the Storage policies in
-- 006_members.sql. Idempotent: the bucket is created once.

insert into storage.buckets (id, name, public)
values ('media', 'media', true)
on conflict (id) do nothing;
