// Type-checked (never run) in the temporary project by sdk-package.e2e-spec.ts with the package's
// published .d.ts files: what the SDK's types accept and refuse. Each @ts-expect-error must meet an
// error, or the check fails.
import { type Article, type ArticleList, ApiError, createConduitClient, unwrap } from '@capstone/sdk';

export async function typedUsage(): Promise<void> {
  const client = createConduitClient({ baseUrl: 'http://127.0.0.1:3000/api', token: 'a.jwt.token' });
  const article: Article = await client.articles.create({ title: 't', description: 'd', body: 'b' });
  const list: ArticleList = await client.articles.list({ limit: 10, tag: 'nest' });
  const firstSlug: string | undefined = list.articles[0]?.slug;
  const tags: string[] = await client.tags.list();
  // Any route of the document through the raw client, with its typed query and response.
  const found = await unwrap(client.api.GET('/search', { params: { query: { q: 'nest' } } }));
  void [article.slug, firstSlug, tags, found];

  // @ts-expect-error a title is a string
  await client.articles.create({ title: 1, description: 'd', body: 'b' });
  // @ts-expect-error an article needs a body
  await client.articles.create({ title: 't', description: 'd' });
  // @ts-expect-error limit is a number
  await client.articles.list({ limit: 'ten' });
  // @ts-expect-error no such route in the document
  await client.api.GET('/no-such-route');

  try {
    await client.users.current();
  } catch (error) {
    if (error instanceof ApiError) {
      const status: number = error.status;
      const messages: string[] = error.messagesFor('email');
      const retryAfter: number | undefined = error.retryAfterSeconds;
      const requestId: string | undefined = error.requestId;
      void [status, messages, retryAfter, requestId];
    }
  }
}
