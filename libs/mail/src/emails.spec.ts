/**
 * @roadmap testing.unit, security.xss
 * Look at the content of each email checked from plain data: recipient, subject, both bodies, the
 * links, the quoting and truncation of what users wrote, their escaping in HTML, and a Message-ID
 * that is the same every time for the same event.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  messageIdFor,
  newCommentEmail,
  newFollowerEmail,
  QUOTE_LIMITS,
  truncate,
  weeklyDigestEmail,
  type WeeklyDigestEmailInput,
} from './emails';
import { MailTemplates, TemplateError } from './templates';

const publicUrl = 'https://conduit.example.com';
const bob = { email: 'bob@example.com', username: 'bob' };

describe('newFollowerEmail', () => {
  const input = { to: bob, follower: { username: 'alice', bio: 'I write\n about   Rust.' }, publicUrl };

  it('tells the user who followed them, with a link to the follower', () => {
    const message = newFollowerEmail(input);
    expect(message.to).toBe('bob@example.com');
    expect(message.subject).toBe('alice is now following you on Conduit');
    expect(message.text).toBe(
      [
        'Hi bob,',
        '',
        'alice is now following you on Conduit.',
        'In their own words: "I write about Rust."',
        '',
        'See their profile and articles:',
        'https://conduit.example.com/profile/alice',
        '',
        '--',
        'You receive this email because you have an account on Conduit: https://conduit.example.com',
        'Your settings: https://conduit.example.com/settings',
      ].join('\n'),
    );
    expect(message.html).toContain('<p>Hi bob,</p>');
    expect(message.html).toContain(
      '<a href="https://conduit.example.com/profile/alice">alice</a> is now following you on Conduit.',
    );
    expect(message.html).toContain('In their own words: <em>I write about Rust.</em>');
    expect(message.html).toContain('<a href="https://conduit.example.com/settings">');
    expect(message.messageId).toBe('<new-follower.alice.bob@conduit.example.com>');
    expect(message.headers).toEqual({ 'Auto-Submitted': 'auto-generated' });
  });

  it('leaves the bio out, line and all, when the follower has none', () => {
    for (const bio of [undefined, null, '', '   ']) {
      const message = newFollowerEmail({ ...input, follower: { username: 'alice', bio } });
      expect(message.text).toContain('alice is now following you on Conduit.\n\nSee their profile');
      expect(message.text).not.toContain('In their own words');
      expect(message.html).not.toContain('In their own words');
    }
  });

  it('escapes names in HTML and keeps them as they are in text', () => {
    const message = newFollowerEmail({
      ...input,
      to: { email: 'bob@example.com', username: '<img src=x onerror=alert(1)>' },
      follower: { username: '<script>', bio: '"><b>bold</b>' },
    });
    expect(message.subject).toBe('<script> is now following you on Conduit');
    expect(message.text).toContain('Hi <img src=x onerror=alert(1)>,');
    expect(message.text).toContain('<script> is now following you');
    expect(message.text).toContain('In their own words: ""><b>bold</b>"');
    expect(message.html).not.toMatch(/<script|<img|<b>/);
    expect(message.html).toContain('<p>Hi &lt;img src=x onerror=alert(1)&gt;,</p>');
    expect(message.html).toContain('<a href="https://conduit.example.com/profile/%3Cscript%3E">&lt;script&gt;</a>');
    expect(message.html).toContain('<em>&quot;&gt;&lt;b&gt;bold&lt;/b&gt;</em>');
    expect(message.messageId).toBe(
      '<new-follower.=3Cscript=3E.=3Cimg=20src=3Dx=20onerror=3Dalert=281=29=3E@conduit.example.com>',
    );
  });

  it('truncates a long bio', () => {
    const message = newFollowerEmail({ ...input, follower: { username: 'alice', bio: 'word '.repeat(200) } });
    const quoted = /In their own words: "(.*)"/.exec(message.text)?.[1] ?? '';
    expect(Array.from(quoted)).toHaveLength(QUOTE_LIMITS.bio);
    expect(quoted.endsWith('…')).toBe(true);
  });

  it('gives the same Message-ID for the same follow, and another for another follow', () => {
    expect(newFollowerEmail(input).messageId).toBe(
      newFollowerEmail({ ...input, follower: { username: 'alice' } }).messageId,
    );
    expect(newFollowerEmail({ ...input, follower: { username: 'carol' } }).messageId).toBe(
      '<new-follower.carol.bob@conduit.example.com>',
    );
  });
});

describe('newCommentEmail', () => {
  const input = {
    to: bob,
    commenter: { username: 'carol' },
    article: { slug: 'how-to-train-your-dragon', title: 'How to train your dragon' },
    comment: { id: 42, body: 'Great read!\r\nThanks.' },
    publicUrl: 'http://localhost:3000/',
  };

  it('quotes the comment and links to the article', () => {
    const message = newCommentEmail(input);
    expect(message.to).toBe('bob@example.com');
    expect(message.subject).toBe('carol commented on "How to train your dragon"');
    expect(message.text).toBe(
      [
        'Hi bob,',
        '',
        'carol commented on your article "How to train your dragon":',
        '',
        '> Great read!',
        '> Thanks.',
        '',
        'Read the comment and reply:',
        'http://localhost:3000/article/how-to-train-your-dragon',
        '',
        '--',
        'You receive this email because you have an account on Conduit: http://localhost:3000',
        'Your settings: http://localhost:3000/settings',
      ].join('\n'),
    );
    expect(message.html).toContain('<a href="http://localhost:3000/profile/carol">carol</a> commented on your article');
    expect(message.html).toContain(
      '<a href="http://localhost:3000/article/how-to-train-your-dragon">How to train your dragon</a>',
    );
    expect(message.html).toContain('white-space: pre-wrap">Great read!\nThanks.</pre>');
    expect(message.messageId).toBe('<new-comment.42.bob@localhost>');
  });

  it('truncates a long comment, and a long title in the subject only', () => {
    const title = 'T'.repeat(200);
    const message = newCommentEmail({
      ...input,
      article: { slug: 'long', title },
      comment: { id: 7, body: `${'a'.repeat(QUOTE_LIMITS.comment - 1)}😀 and more` },
    });
    expect(message.subject).toBe(`carol commented on "${'T'.repeat(QUOTE_LIMITS.subjectTitle - 1)}…"`);
    expect(message.text).toContain(`"${title}"`);
    // Cut on whole characters: the emoji is either there entirely or not at all.
    expect(message.text).toContain(`> ${'a'.repeat(QUOTE_LIMITS.comment - 1)}…\n`);
    expect(message.html).toContain(`${'a'.repeat(QUOTE_LIMITS.comment - 1)}…</pre>`);
  });

  it('escapes the comment in HTML, keeps it as written in text, and quotes blank lines as ">"', () => {
    const message = newCommentEmail({ ...input, comment: { id: 1, body: '<script>x</script>\n\n& more' } });
    expect(message.text).toContain('> <script>x</script>\n>\n> & more');
    expect(message.html).toContain('&lt;script&gt;x&lt;/script&gt;\n\n&amp; more</pre>');
    expect(message.html).not.toContain('<script>');
  });

  it('identifies the message by the comment and the recipient', () => {
    expect(newCommentEmail(input).messageId).toBe(
      newCommentEmail({ ...input, comment: { id: '42', body: 'edited' } }).messageId,
    );
    expect(newCommentEmail({ ...input, comment: { id: 43, body: 'x' } }).messageId).toBe(
      '<new-comment.43.bob@localhost>',
    );
  });
});

describe('weeklyDigestEmail', () => {
  const input: WeeklyDigestEmailInput = {
    to: bob,
    weekOf: new Date('2025-01-06T00:00:00Z'),
    publicUrl,
    articles: [
      {
        slug: 'rust-in-2025',
        title: 'Rust in 2025',
        description: 'What changed,\nand what did not.',
        author: 'alice',
        createdAt: new Date('2025-01-08T17:30:00Z'),
      },
      {
        slug: 'tea',
        title: 'Tea & <code>',
        description: '',
        author: 'carol',
        createdAt: new Date('2025-01-07T09:00:00Z'),
      },
    ],
  };

  it('lists the articles with their author, date, description and link', () => {
    const message = weeklyDigestEmail(input);
    expect(message.to).toBe('bob@example.com');
    expect(message.subject).toBe('Your Conduit week of 2025-01-06: 2 new articles from authors you follow');
    expect(message.text).toBe(
      [
        'Hi bob,',
        '',
        'This week (2025-01-06), the authors you follow on Conduit published 2 new articles:',
        '',
        '* Rust in 2025',
        '  by alice, 2025-01-08',
        '  What changed, and what did not.',
        '  https://conduit.example.com/article/rust-in-2025',
        '',
        '* Tea & <code>',
        '  by carol, 2025-01-07',
        '  https://conduit.example.com/article/tea',
        '',
        '--',
        'You receive this weekly digest because you follow authors on Conduit: https://conduit.example.com',
        'Your settings: https://conduit.example.com/settings',
      ].join('\n'),
    );
    expect(message.html).toContain(
      '<a href="https://conduit.example.com/article/rust-in-2025"><strong>Rust in 2025</strong></a>',
    );
    expect(message.html).toContain('by <a href="https://conduit.example.com/profile/alice">alice</a>, 2025-01-08');
    expect(message.html).toContain('<strong>Tea &amp; &lt;code&gt;</strong>');
    expect(message.html.match(/<li /g)).toHaveLength(2);
    expect(message.messageId).toBe('<weekly-digest.bob.2025-01-06@conduit.example.com>');
  });

  it('says "1 new article" for one', () => {
    const message = weeklyDigestEmail({ ...input, articles: input.articles.slice(0, 1) });
    expect(message.subject).toBe('Your Conduit week of 2025-01-06: 1 new article from authors you follow');
  });

  it('names the digest by recipient and week: the same week gives the same Message-ID', () => {
    const again = weeklyDigestEmail({
      ...input,
      weekOf: new Date('2025-01-06T23:59:59Z'),
      articles: input.articles.slice(1),
    });
    expect(again.messageId).toBe(weeklyDigestEmail(input).messageId);
    expect(weeklyDigestEmail({ ...input, weekOf: new Date('2025-01-13T00:00:00Z') }).messageId).toBe(
      '<weekly-digest.bob.2025-01-13@conduit.example.com>',
    );
  });

  it('refuses an empty week and invalid dates', () => {
    expect(() => weeklyDigestEmail({ ...input, articles: [] })).toThrow(RangeError);
    expect(() => weeklyDigestEmail({ ...input, weekOf: new Date('not a date') })).toThrow(RangeError);
  });
});

describe('a template that names a value the code does not provide', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mail-templates-'));
    // The new-follower templates, with one placeholder misspelt in the HTML body.
    writeFileSync(join(dir, 'new-follower.subject.txt'), '{{followerUsername}} follows you');
    writeFileSync(join(dir, 'new-follower.txt'), 'Hi {{username}}');
    writeFileSync(join(dir, 'new-follower.html'), '<p>Hi {{userName}}</p>');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails to render instead of sending a blank', () => {
    const templates = new MailTemplates(dir);
    expect(() => newFollowerEmail({ to: bob, follower: { username: 'alice' }, publicUrl }, templates)).toThrow(
      new TemplateError('new-follower.html: no value for {{userName}}'),
    );
  });
});

describe('messageIdFor and truncate', () => {
  it('keeps readable parts readable and encodes the rest, so distinct parts never collide', () => {
    expect(messageIdFor('k', ['a-b_C9', '12'], 'example.com')).toBe('<k.a-b_C9.12@example.com>');
    expect(messageIdFor('k', ['a.b'], 'h')).not.toBe(messageIdFor('k', ['a', 'b'], 'h'));
    expect(messageIdFor('k', ['a=2Eb'], 'h')).not.toBe(messageIdFor('k', ['a.b'], 'h'));
    expect(messageIdFor('k', ['é'], 'h')).toBe('<k.=C3=A9@h>');
  });

  it('truncates on whole characters and marks the cut', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('exactly10!', 10)).toBe('exactly10!');
    expect(truncate('one two three', 8)).toBe('one two…');
    expect(truncate('😀😀😀', 2)).toBe('😀…');
  });
});
