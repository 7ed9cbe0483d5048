-- 003_grants_and_rls.sql — which statements the API roles may run at all, and RLS switched on.
--
-- Least privilege in two layers. GRANTs say which statements a role may run at all (new Supabase
-- projects no longer grant public tables to the API roles, and older ones granted everything, so
-- we revoke first and grant exactly what is needed). Row Level Security then says which rows:
-- the policies live in 006_members.sql, because who may do what depends on the member's role.
-- On a new project nothing can be read or written until 006 has run (RLS on, no policy: fail
-- closed); on an existing one the earlier policies stay until 006 replaces them.
-- Idempotent: grants are re-applied.

grant usage on schema public to anon, authenticated;

revoke all on table public.posts, public.pages, public.media from anon, authenticated;
grant select on table public.posts, public.pages, public.media to anon;
grant select, insert, update, delete on table public.posts, public.pages, public.media to authenticated;

alter table public.posts enable row level security;
alter table public.pages enable row level security;
alter table public.media enable row level security;
