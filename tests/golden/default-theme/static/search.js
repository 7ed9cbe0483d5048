/* The site's search box (docs/themes.md): reads the index sitegen built (sitegen/search/index.py)
   from the same site, one small shard per query word, and shows the best pages.
   Keys: "/" focuses the box, arrows move through the results, Enter opens one, Esc closes.
   Without JavaScript the box stays hidden. */
(() => {
  "use strict";
  const form = document.querySelector("form[data-search]");
  if (!form || !window.fetch) return;
  const base = form.dataset.search;
  const input = form.querySelector("input");
  const list = form.querySelector("[role=listbox]");
  const status = form.querySelector("[role=status]");
  const files = new Map();
  const LIMIT = 10;
  let active = -1;
  let asked = 0;
  form.hidden = false;

  const load = (path) => {
    if (!files.has(path)) {
      files.set(path, fetch(base + path).then((r) => (r.ok ? r.json() : null)).catch(() => null));
    }
    return files.get(path);
  };
  // As sitegen/markdown/terms.py: lower case, accents dropped, runs of 2-40 word characters.
  const terms = (text) =>
    (text.normalize("NFKD").replace(/\p{Mn}/gu, "").toLowerCase().match(/[\p{L}\p{N}_]+/gu) || [])
      .filter((run) => run.length >= 2 && run.length <= 40);
  // As sitegen/search/index.py: a term's shard is named by its first 2 characters, or 3 or 4
  // where a shard was split: the longest such name that exists.
  const shardName = (prefix) =>
    prefix.map((c) => (/^[a-z0-9]$/.test(c) ? c : `_${c.codePointAt(0).toString(16)}_`)).join("");
  const shardOf = (word, shards) => {
    const chars = Array.from(word);
    for (let length = Math.min(chars.length, 4); length >= 2; length--) {
      const name = shardName(chars.slice(0, length));
      if (shards.has(name)) return name;
    }
    return null;
  };

  async function search(query) {
    const meta = await load("meta.json");
    const words = [...new Set(terms(query))];
    if (!meta || !words.length) return [];
    const shards = new Set(meta.shards);
    const scores = new Map(); // doc -> [words matched, score]
    for (const word of words) {
      const name = shardOf(word, shards);
      const shard = name ? await load(`t/${name}.json`) : null;
      const best = new Map();
      for (const [term, postings] of Object.entries(shard || {})) {
        if (!term.startsWith(word)) continue;
        const count = postings.length / 2;
        const rarity = Math.log(1 + (meta.docs - count + 0.5) / (count + 0.5));
        const factor = term === word ? 1 : 0.5; // a longer word that starts with it counts less
        for (let i = 0; i < postings.length; i += 2) {
          const score = (rarity * factor * postings[i + 1]) / 100;
          if (score > (best.get(postings[i]) || 0)) best.set(postings[i], score);
        }
      }
      for (const [doc, score] of best) {
        const found = scores.get(doc) || [0, 0];
        scores.set(doc, [found[0] + 1, found[1] + score]);
      }
    }
    const ranked = [...scores]
      .sort((a, b) => b[1][0] - a[1][0] || b[1][1] - a[1][1] || a[0] - b[0])
      .slice(0, LIMIT);
    return Promise.all(
      ranked.map(async ([doc]) => {
        const chunk = await load(`d/${Math.floor(doc / meta.per_chunk)}.json`);
        const [url, title, excerpt] = (chunk && chunk[doc % meta.per_chunk]) || ["", "", ""];
        return { url, title, excerpt };
      })
    );
  }

  // `text` as a span with the words of the query that start a word in it marked.
  function marked(text, className, query) {
    const span = document.createElement("span");
    span.className = className;
    const words = terms(query).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    if (!words.length) {
      span.textContent = text;
      return span;
    }
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(${words.join("|")})`, "giu");
    text.split(pattern).forEach((part, index) => {
      if (index % 2) {
        const mark = document.createElement("mark");
        mark.textContent = part;
        span.append(mark);
      } else if (part) span.append(part);
    });
    return span;
  }

  function show(results, query) {
    list.replaceChildren();
    active = -1;
    input.removeAttribute("aria-activedescendant");
    results.filter((r) => r.url).forEach((result, index) => {
      const item = document.createElement("li");
      item.id = `search-result-${index}`;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      const link = document.createElement("a");
      link.href = result.url;
      link.tabIndex = -1;
      link.append(
        marked(result.title, "search__title", query),
        marked(result.excerpt, "search__excerpt", query)
      );
      item.append(link);
      list.append(item);
    });
    const open = query !== "";
    list.hidden = !open || !list.children.length;
    input.setAttribute("aria-expanded", String(!list.hidden));
    const count = list.children.length;
    status.textContent = !open ? "" : count ? `${count} result${count > 1 ? "s" : ""}` : `No results for “${query}”`;
  }

  function move(step) {
    const items = list.children;
    if (!items.length) return;
    if (active >= 0) items[active].setAttribute("aria-selected", "false");
    active = (active + step + items.length) % items.length;
    items[active].setAttribute("aria-selected", "true");
    items[active].scrollIntoView({ block: "nearest" });
    input.setAttribute("aria-activedescendant", items[active].id);
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const query = input.value.trim();
      const mine = ++asked;
      const results = query ? await search(query) : [];
      if (mine === asked) show(results, query);
    }, 60);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (list.hidden && list.children.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const item = list.children[Math.max(active, 0)];
      if (item) window.location.assign(item.querySelector("a").href);
    } else if (event.key === "Escape") {
      if (!list.hidden) close();
      else {
        input.value = "";
        show([], "");
        input.blur();
      }
    }
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  input.addEventListener("focus", () => {
    if (list.children.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  });
  document.addEventListener("click", (event) => {
    if (!form.contains(event.target)) close();
  });
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });
})();
