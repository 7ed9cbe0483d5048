-- 001_tables.sql — the content tables: posts, pages and media.
--
-- Every row belongs to one author (auth.users). Keys are what sitegen syncs by:
-- posts/<slug>, pages/<slug>, media/<path>. The CHECK constraints repeat the rules the
-- sitegen client enforces, so that content written by any other client is just as safe to pull
-- (no `..`, no absolute paths, nothing that could escape content/ when written to disk).
-- Idempotent: safe to run again.

create table if not exists public.posts (
  id               uuid primary key default gen_random_uuid(),
  slug             text not null unique
                   check (length(slug) <= 200
                          and slug ~ '^[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*)*$'),
  author_id        uuid not null default auth.uid() references auth.users (id) on delete cascade,
  title            text not null check (length(btrim(title)) > 0),
  body             text not null default '',
  draft            boolean not null default false,
  publish_at       timestamptz,            -- null: published as soon as draft = false
  front            jsonb not null default '{}'::jsonb check (jsonb_typeof(front) = 'object'),
  version          integer not null default 1 check (version >= 1),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  updated_by       uuid,
  updated_by_email text
);

-- Pages have exactly the shape of posts; a separate table keeps their keys apart.
create table if not exists public.pages (
  id               uuid primary key default gen_random_uuid(),
  slug             text not null unique
                   check (length(slug) <= 200
                          and slug ~ '^[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*)*$'),
  author_id        uuid not null default auth.uid() references auth.users (id) on delete cascade,
  title            text not null check (length(btrim(title)) > 0),
  body             text not null default '',
  draft            boolean not null default false,
  publish_at       timestamptz,
  front            jsonb not null default '{}'::jsonb check (jsonb_typeof(front) = 'object'),
  version          integer not null default 1 check (version >= 1),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  updated_by       uuid,
  updated_by_email text
);

-- A media row describes one Storage object in the `media` bucket. `path` is where the file lives
-- under content/media; `object_name` is the content-addressed object <author_id>/<sha256>/<name>,
-- always inside the author's own folder (the Storage policies only let authors write there).
create table if not exists public.media (
  id               uuid primary key default gen_random_uuid(),
  path             text not null unique
                   check (length(path) <= 400
                          and path is nfc normalized
                          and path !~ '[[:cntrl:]\\]'
                          and path ~ '^[^/.][^/]*(/[^/.][^/]*)*$'),
  author_id        uuid not null default auth.uid() references auth.users (id) on delete cascade,
  object_name      text not null
                   check (length(object_name) <= 600
                          and object_name !~ '[[:cntrl:]\\]'
                          and object_name ~ '^[0-9a-f-]{36}/[0-9a-f]{64}/[^/.][^/]*$'),
  sha256           text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  size             bigint not null check (size >= 0),
  content_type     text not null check (length(content_type) between 1 and 255),
  alt              text not null default '',
  version          integer not null default 1 check (version >= 1),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  updated_by       uuid,
  updated_by_email text,
  constraint media_object_in_author_folder check (split_part(object_name, '/', 1) = author_id::text)
);

-- Indexes for the sync queries. The unique constraints already index slug/path (keyset
-- pagination and `slug=in.(...)` batches); RLS filters on author_id and on the published state.
create index if not exists posts_author_id_idx on public.posts (author_id);
create index if not exists posts_updated_at_idx on public.posts (updated_at);
create index if not exists posts_published_idx on public.posts (publish_at) where not draft;
create index if not exists pages_author_id_idx on public.pages (author_id);
create index if not exists pages_updated_at_idx on public.pages (updated_at);
create index if not exists pages_published_idx on public.pages (publish_at) where not draft;
create index if not exists media_author_id_idx on public.media (author_id);
create index if not exists media_updated_at_idx on public.media (updated_at);
