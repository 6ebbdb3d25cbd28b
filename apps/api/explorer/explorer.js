/**
 * @roadmap frontend.html-css-javascript, security.xss, auth.token-authentication
 * Look at browser JavaScript without a framework: fetch() with async/await, the DOM built with
 * createElement and textContent (never innerHTML, so no text from the API can become markup),
 * events on real buttons and forms, and a token sent as `Authorization: Token <jwt>` and kept in
 * memory only.
 */
'use strict';

// A classic script, not a module: one closure keeps every name out of the global scope.
(() => {
  /** `document.getElementById`, failing loudly when the HTML and the script disagree. */
  const byId = (id) => {
    const element = document.getElementById(id);
    if (!element) throw new Error(`explorer: no #${id} in the page`);
    return element;
  };

  /**
   * Builds an element. `attributes` are set as attributes (`class`, `hidden`, `aria-*`...);
   * children are nodes or strings, and strings become text nodes: whatever the API returns is
   * shown as text, never parsed as HTML. That is the whole XSS defence of this page.
   */
  function el(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === false || value === undefined || value === null) continue;
      element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      element.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
    }
    return element;
  }

  // ---------------------------------------------------------------------------------------------
  // Talking to the API
  // ---------------------------------------------------------------------------------------------

  /**
   * The signed-in reader: `{ username, token }` or null. In memory only, on purpose: a reload or a
   * closed tab signs you out. sessionStorage would survive a reload, and localStorage even a
   * restart, but anything stored there can be read by any script running on this origin, so one
   * XSS bug would leak the token. (The API's cookie mode, docs/auth.md, keeps the session in an
   * HttpOnly cookie that no script can read at all, at the price of CSRF protection.)
   */
  let reader = null;

  /** A token shortened for display: enough to recognise it, not enough to reuse it. */
  const shortToken = (token) => `${token.slice(0, 12)}…`;

  /**
   * Sends one request and returns what came back: `{ request, status, statusText, headers, body,
   * milliseconds }`, `body` parsed as JSON when the answer says it is JSON. A network failure
   * (the API is down) gives `status: 0` and `error`. Every exchange is shown in "Last exchange".
   */
  async function send({ method = 'GET', path, headers = {}, body, withToken = false }) {
    const requestHeaders = { Accept: 'application/json', ...headers };
    if (body !== undefined) requestHeaders['Content-Type'] = 'application/json';
    if (withToken && reader) requestHeaders.Authorization = `Token ${reader.token}`;
    const shown = { ...requestHeaders };
    if (shown.Authorization) shown.Authorization = `Token ${shortToken(reader.token)}`;
    const request = { method, path, headers: shown, body };

    const started = performance.now();
    try {
      const response = await fetch(path, {
        method,
        headers: requestHeaders,
        body: body === undefined ? undefined : JSON.stringify(body),
        // Past the browser's HTTP cache, so every click really reaches the API (and a 304 you
        // ask for with If-None-Match reaches this script instead of being answered from a copy).
        cache: 'no-store',
      });
      const text = await response.text();
      const isJson = /[/+]json\b/.test(response.headers.get('content-type') || '');
      const exchange = {
        request,
        status: response.status,
        statusText: response.statusText,
        // Same origin: every header is readable (a cross-origin page only sees the exposed ones).
        headers: [...response.headers.entries()],
        body: isJson && text !== '' ? JSON.parse(text) : text,
        milliseconds: Math.round(performance.now() - started),
      };
      return exchange;
    } catch (error) {
      return { request, status: 0, statusText: '', headers: [], body: '', error: String(error), milliseconds: 0 };
    }
  }

  /** `{"errors": {"email or password": ["is invalid"]}}` -> "email or password is invalid". */
  function errorText(exchange) {
    if (exchange.status === 0) return `The API did not answer (${exchange.error}). Is it running?`;
    const errors = exchange.body && typeof exchange.body === 'object' ? exchange.body.errors : undefined;
    if (!errors) return `${exchange.status} ${exchange.statusText}`;
    const details = Object.entries(errors).map(([field, messages]) => `${field} ${[].concat(messages).join(', ')}`);
    return `${exchange.status} ${exchange.statusText}: ${details.join('; ')}`;
  }

  /** A response as the page shows it: the status line, the headers, the body. */
  function renderExchange(exchange, { label } = {}) {
    const { request } = exchange;
    const statusClass = exchange.status >= 200 && exchange.status < 400 ? 'ok' : 'failed';
    const body = typeof exchange.body === 'string' ? exchange.body : JSON.stringify(exchange.body, null, 2);
    // A whole OpenAPI document would bury the page: show the start.
    const limit = 6000;
    const shownBody =
      body.length > limit ? `${body.slice(0, limit)}\n… (${body.length - limit} more characters)` : body;
    return el(
      'div',
      { class: 'response' },
      label ? el('p', { class: 'response-label' }, label) : null,
      el(
        'p',
        { class: 'status-line' },
        el('code', {}, `${request.method} ${request.path}`),
        ' → ',
        el(
          'strong',
          { class: `status ${statusClass}` },
          exchange.status === 0 ? 'no answer' : `${exchange.status} ${exchange.statusText}`,
        ),
        exchange.status === 0 ? '' : ` in ${exchange.milliseconds} ms`,
      ),
      Object.keys(request.headers).length > 0
        ? el(
            'details',
            { class: 'sent' },
            el('summary', {}, 'Request headers and body'),
            el('pre', { tabindex: 0 }, [
              ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}\n`),
              request.body === undefined ? '' : `\n${JSON.stringify(request.body, null, 2)}`,
            ]),
          )
        : null,
      // A box of its own that scrolls (and so can be focused, for keyboard users).
      el(
        'div',
        { class: 'headers-box', tabindex: 0, role: 'region', 'aria-label': 'Response headers' },
        el(
          'dl',
          { class: 'headers' },
          exchange.headers.flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]),
        ),
      ),
      el('pre', { class: 'body', tabindex: 0 }, shownBody === '' ? '(no body)' : shownBody),
    );
  }

  /** Shows an exchange of the reader in "Last exchange". */
  function showLastExchange(exchange) {
    byId('exchange').replaceChildren(renderExchange(exchange));
  }

  // ---------------------------------------------------------------------------------------------
  // The roadmap topics
  // ---------------------------------------------------------------------------------------------

  const STATUS_LABEL = { demonstrated: 'demonstrated', 'not-yet': 'not yet', 'out-of-scope': 'out of scope' };

  /** Fetches a listed file and shows it with line numbers, or says where to read it instead. */
  async function toggleSource(button, file, container) {
    const open = button.getAttribute('aria-expanded') === 'true';
    if (open) {
      container.replaceChildren();
      button.setAttribute('aria-expanded', 'false');
      button.textContent = 'Show source';
      return;
    }
    button.setAttribute('aria-expanded', 'true');
    button.textContent = 'Hide source';
    container.replaceChildren(el('p', { class: 'hint' }, 'Loading…'));
    // Each path segment encoded on its own: the slashes stay, anything else is escaped.
    const exchange = await send({ path: `/explorer/source/${file.split('/').map(encodeURIComponent).join('/')}` });
    if (exchange.status !== 200) {
      // The Docker image carries compiled code only: the file is listed but not on this server.
      container.replaceChildren(
        el(
          'p',
          { class: 'message error' },
          `${errorText(exchange)}. Read `,
          el('code', {}, file),
          ' in your checkout of the repository.',
        ),
      );
      return;
    }
    // An ordered list numbers the lines itself, and copying the text leaves the numbers out.
    const lines = exchange.body.replace(/\n$/, '').split('\n');
    container.replaceChildren(
      el(
        'div',
        { class: 'source', tabindex: 0, role: 'region', 'aria-label': `${file}, ${lines.length} lines` },
        el(
          'ol',
          {},
          lines.map((line) => el('li', {}, line === '' ? ' ' : line)),
        ),
      ),
    );
  }

  function renderFiles(kind, files) {
    if (files.length === 0) return null;
    return el(
      'div',
      { class: 'files' },
      el('h4', {}, kind === 'module' ? 'Modules: what to read' : 'Tests: what proves it works'),
      el(
        'ul',
        {},
        files.map(({ file, explanation }) => {
          const container = el('div', { class: 'source-slot' });
          const button = el(
            'button',
            { type: 'button', class: 'link-button', 'aria-expanded': 'false' },
            'Show source',
          );
          button.addEventListener('click', () => toggleSource(button, file, container));
          return el('li', {}, el('code', { class: 'path' }, file), ' ', button, el('p', {}, explanation), container);
        }),
      ),
    );
  }

  /** "Try it": the example's request, sent for real, and the answer (or two, with revalidation). */
  function renderTryIt(example) {
    const output = el('div', { class: 'try-output', 'aria-live': 'polite' });
    const button = el('button', { type: 'button' }, `Try it: ${example.method} ${example.path}`);
    button.addEventListener('click', async () => {
      button.disabled = true;
      const first = await send(example);
      const answers = [renderExchange(first, { label: example.revalidate ? 'First request' : undefined })];
      const etag = first.headers.find(([name]) => name === 'etag');
      if (example.revalidate && etag) {
        const again = await send({ ...example, headers: { ...example.headers, 'If-None-Match': etag[1] } });
        answers.push(renderExchange(again, { label: 'Again, with If-None-Match' }));
      }
      output.replaceChildren(...answers);
      button.disabled = false;
    });
    return el('div', { class: 'try-it' }, el('p', { class: 'note' }, example.note), button, output);
  }

  function renderTopic(topic, example) {
    const body =
      topic.status === 'out-of-scope'
        ? [el('p', {}, `Out of scope: ${topic.reason}`)]
        : topic.status === 'not-yet'
          ? [el('p', {}, 'Planned; no file demonstrates it yet.')]
          : [renderFiles('module', topic.modules), renderFiles('test', topic.tests)];
    const details = el(
      'details',
      { class: 'topic', id: `topic-${topic.id}`, 'data-topic': topic.id },
      el(
        'summary',
        {},
        el('span', { class: 'topic-title' }, topic.title),
        ' ',
        el('code', {}, topic.id),
        ' ',
        el('span', { class: `badge ${topic.status}` }, STATUS_LABEL[topic.status]),
        example ? el('span', { class: 'badge live' }, 'try it') : null,
      ),
      example ? renderTryIt(example) : null,
      body,
    );
    // What the search box matches: the id, the title and every path and sentence of the topic.
    details.dataset.search = [
      topic.id,
      topic.title,
      topic.reason || '',
      ...[...topic.modules, ...topic.tests].flatMap(({ file, explanation }) => [file, explanation]),
    ]
      .join('\n')
      .toLowerCase();
    return details;
  }

  function renderAreas(roadmap, examples) {
    const exampleOf = new Map(examples.map((example) => [example.topic, example]));
    const { progress } = roadmap;
    byId('progress').textContent =
      `${progress.topics} topics: ${progress.demonstrated} of ${progress.planned} planned topics demonstrated, ` +
      `${progress.outOfScope} out of scope, ${exampleOf.size} with a live “try it”.`;
    byId('areas').replaceChildren(
      ...roadmap.areas.map((area) => {
        const demonstrated = area.topics.filter((topic) => topic.status === 'demonstrated').length;
        return el(
          'section',
          { class: 'area', 'aria-labelledby': `area-${area.id}` },
          el(
            'h3',
            { id: `area-${area.id}` },
            area.title,
            ' ',
            el('span', { class: 'area-count' }, `${demonstrated}/${area.topics.length}`),
          ),
          area.topics.map((topic) => renderTopic(topic, exampleOf.get(topic.id))),
        );
      }),
    );
  }

  /** Hides the topics that do not contain every word typed, and the areas left empty. */
  function filterTopics(query) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    let total = 0;
    for (const area of document.querySelectorAll('#areas .area')) {
      let inArea = 0;
      for (const topic of area.querySelectorAll('.topic')) {
        const match = words.every((word) => topic.dataset.search.includes(word));
        topic.hidden = !match;
        if (match) inArea++;
        total++;
      }
      area.hidden = inArea === 0;
      shown += inArea;
    }
    byId('topic-count').textContent = words.length === 0 ? `${total} topics` : `${shown} of ${total} topics match`;
  }

  async function loadRoadmap() {
    const [roadmap, tryIt] = await Promise.all([
      send({ path: '/explorer/roadmap.json' }),
      send({ path: '/explorer/try-it.json' }),
    ]);
    if (roadmap.status !== 200) {
      byId('progress').textContent = `The roadmap could not be loaded: ${errorText(roadmap)}.`;
      return;
    }
    renderAreas(roadmap.body, tryIt.status === 200 ? tryIt.body.examples : []);
    const search = byId('topic-search');
    search.addEventListener('input', () => filterTopics(search.value));
    filterTopics(search.value);
  }

  // ---------------------------------------------------------------------------------------------
  // The blog reader
  // ---------------------------------------------------------------------------------------------

  /** A line above the articles: an error in red, anything else in the normal colour. */
  const message = (text, { error = false } = {}) => {
    const line = byId('reader-message');
    line.textContent = text;
    line.classList.toggle('error', error);
  };

  /** The reader's calls: shown in "Last exchange", with the token whenever someone is signed in. */
  async function call(request) {
    const exchange = await send({ ...request, withToken: true });
    showLastExchange(exchange);
    return exchange;
  }

  const formatDate = (iso) =>
    new Date(iso).toLocaleDateString('en', { year: 'numeric', month: 'short', day: 'numeric' });

  async function loadArticles() {
    const exchange = await call({ path: '/api/articles?limit=10' });
    const list = byId('articles');
    if (exchange.status !== 200) {
      list.replaceChildren(el('li', { class: 'message error' }, errorText(exchange)));
      return;
    }
    if (exchange.body.articles.length === 0) {
      list.replaceChildren(el('li', {}, 'No articles yet (pnpm db:seed adds the demo content).'));
      return;
    }
    list.replaceChildren(
      ...exchange.body.articles.map((article) => {
        const open = el('button', { type: 'button', class: 'link-button article-link' }, article.title);
        open.addEventListener('click', () => openArticle(article.slug));
        return el(
          'li',
          {},
          open,
          el(
            'span',
            { class: 'meta' },
            `by ${article.author.username} · ♥ ${article.favoritesCount} · ${article.tagList.join(', ')}`,
          ),
        );
      }),
    );
  }

  async function openArticle(slug) {
    const path = `/api/articles/${encodeURIComponent(slug)}`;
    const found = await call({ path });
    const comments = await call({ path: `${path}/comments` });
    const container = byId('article');
    container.hidden = false;
    if (found.status !== 200) {
      container.replaceChildren(el('p', { class: 'message error' }, errorText(found)));
      return;
    }
    const article = found.body.article;
    const favorite = el(
      'button',
      { type: 'button', class: 'favorite', 'aria-pressed': String(article.favorited) },
      `${article.favorited ? '♥ Unfavorite' : '♡ Favorite'} (${article.favoritesCount})`,
    );
    favorite.addEventListener('click', () => toggleFavorite(article));
    const paragraphs = article.body.split(/\n\s*\n/).map((paragraph) => el('p', {}, paragraph));
    const commentList =
      comments.status === 200 && comments.body.comments.length > 0
        ? el(
            'ul',
            { class: 'comments' },
            comments.body.comments.map((comment) =>
              el(
                'li',
                {},
                el('p', {}, comment.body),
                el('p', { class: 'meta' }, `${comment.author.username}, ${formatDate(comment.createdAt)}`),
              ),
            ),
          )
        : el('p', { class: 'hint' }, 'No comments.');
    container.replaceChildren(
      el('h4', {}, article.title),
      el(
        'p',
        { class: 'meta' },
        `${article.author.username}, ${formatDate(article.createdAt)} · ${article.tagList.join(', ')}`,
      ),
      favorite,
      ...paragraphs,
      el('h5', {}, `Comments (${comments.status === 200 ? comments.body.comments.length : '?'})`),
      commentList,
    );
  }

  async function toggleFavorite(article) {
    // POST adds the favorite, DELETE removes it; both answer the article with its new count.
    const exchange = await call({
      method: article.favorited ? 'DELETE' : 'POST',
      path: `/api/articles/${encodeURIComponent(article.slug)}/favorite`,
    });
    if (exchange.status !== 200) {
      message(`${errorText(exchange)}${exchange.status === 401 ? ' (sign in first)' : ''}`, { error: true });
      return;
    }
    message(`${exchange.body.article.favorited ? 'Favorited' : 'Unfavorited'} “${article.title}”.`);
    await loadArticles(); // the list shows the new count too
    await openArticle(article.slug);
  }

  function showSession() {
    byId('sign-in').hidden = reader !== null;
    byId('session').hidden = reader === null;
    byId('session-text').textContent = reader
      ? `Signed in as ${reader.username}. Every request now carries Authorization: Token ${shortToken(reader.token)}`
      : '';
  }

  async function signIn(event) {
    event.preventDefault(); // no page load: the form is sent by fetch below
    const exchange = await call({
      method: 'POST',
      path: '/api/users/login',
      body: { user: { email: byId('email').value, password: byId('password').value } },
    });
    if (exchange.status !== 200) {
      message(`Sign-in refused: ${errorText(exchange)}.`, { error: true });
      return;
    }
    reader = { username: exchange.body.user.username, token: exchange.body.user.token };
    message('');
    showSession();
    await loadArticles();
    showLastExchange(exchange); // the sign-in answer, with its token, rather than the list
  }

  function signOut() {
    // The token is a JWT: the server keeps no session to end, forgetting it is signing out.
    reader = null;
    showSession();
    message('Signed out: the token is forgotten.');
    byId('article').hidden = true;
    loadArticles();
  }

  async function setUpSignIn() {
    const exchange = await send({ path: '/explorer/demo-accounts.json' });
    const accounts = exchange.status === 200 ? exchange.body.accounts : [];
    const select = byId('account');
    select.replaceChildren(
      ...accounts.map((account, index) =>
        el('option', { value: String(index) }, `${account.username} (${account.email})`),
      ),
      el('option', { value: '' }, 'Someone else'),
    );
    const fill = () => {
      const account = select.value === '' ? undefined : accounts[Number(select.value)];
      byId('email').value = account ? account.email : '';
      byId('password').value = account ? account.password : '';
    };
    select.addEventListener('change', fill);
    fill();
    byId('sign-in').addEventListener('submit', signIn);
    byId('sign-out').addEventListener('click', signOut);
  }

  loadRoadmap();
  setUpSignIn();
  loadArticles();
})();
