/**
 * @roadmap apis.hateoas, apis.content-negotiation
 * Look at how the same resource is answered in two representations: plain JSON as the RealWorld
 * spec says, or HAL with `_links` to related resources and pages when the client asks for
 * `Accept: application/hal+json`. It works on what the presenters return, over HTTP only.
 */
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { API_PREFIX } from '../api-prefix';
import { ARTICLE_PAGES } from '../common/pagination';

export const HAL_MEDIA_TYPE = 'application/hal+json';

type Link = { href: string };
type Links = Record<string, Link>;

const api = (path: string): Link => ({ href: `/${API_PREFIX}${path}` });
const segment = encodeURIComponent;

export function articleLinks(article: { slug: string; author: { username: string } }): Links {
  return {
    self: api(`/articles/${segment(article.slug)}`),
    author: api(`/profiles/${segment(article.author.username)}`),
    comments: api(`/articles/${segment(article.slug)}/comments`),
    favorite: api(`/articles/${segment(article.slug)}/favorite`),
  };
}

export function profileLinks(profile: { username: string }): Links {
  return {
    self: api(`/profiles/${segment(profile.username)}`),
    follow: api(`/profiles/${segment(profile.username)}/follow`),
    articles: api(`/articles?author=${segment(profile.username)}`),
  };
}

/** self, and next/prev when there is such a page, keeping every other query parameter. */
export function pageLinks(url: string, articlesCount: number): Links {
  const parsed = new URL(url, 'http://localhost');
  const limit = Number(parsed.searchParams.get('limit') ?? ARTICLE_PAGES.defaultLimit);
  const offset = Number(parsed.searchParams.get('offset') ?? 0);
  const at = (newOffset: number): Link => {
    const page = new URL(parsed);
    page.searchParams.set('limit', String(limit));
    page.searchParams.set('offset', String(newOffset));
    return { href: `${page.pathname}${page.search}` };
  };
  const links: Links = { self: { href: `${parsed.pathname}${parsed.search}` } };
  if (offset + limit < articlesCount) links.next = at(offset + limit);
  if (offset > 0) links.prev = at(Math.max(0, offset - limit));
  return links;
}

/** Adds `_links` to the response shapes that have them; anything else passes unchanged. */
export function toHal(body: unknown, url: string): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const value = body as Record<string, unknown>;
  if (isArticle(value.article)) {
    return { ...value, article: { ...value.article, _links: articleLinks(value.article) } };
  }
  if (isProfile(value.profile)) {
    return { ...value, profile: { ...value.profile, _links: profileLinks(value.profile) } };
  }
  if (Array.isArray(value.articles) && typeof value.articlesCount === 'number') {
    return {
      ...value,
      articles: value.articles.map((article) =>
        isArticle(article) ? { ...article, _links: articleLinks(article) } : article,
      ),
      _links: pageLinks(url, value.articlesCount),
    };
  }
  return body;
}

function isProfile(value: unknown): value is { username: string } {
  return typeof value === 'object' && value !== null && typeof (value as { username?: unknown }).username === 'string';
}

function isArticle(value: unknown): value is { slug: string; author: { username: string } } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { slug?: unknown }).slug === 'string' &&
    isProfile((value as { author?: unknown }).author)
  );
}

export function wantsHal(accept: string | undefined): boolean {
  return (
    accept !== undefined && accept.split(',').some((type) => type.trim().split(';')[0].toLowerCase() === HAL_MEDIA_TYPE)
  );
}

@Injectable()
export class HalInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // HAL is a representation of HTTP resources; GraphQL and jobs have their own shapes.
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // Caches must keep the two representations apart.
    void reply.header('vary', 'Accept');
    if (!wantsHal(request.headers.accept)) return next.handle();
    return next.handle().pipe(
      map((body: unknown) => {
        const hal = toHal(body, request.url);
        if (hal !== body) void reply.header('content-type', `${HAL_MEDIA_TYPE}; charset=utf-8`);
        return hal;
      }),
    );
  }
}
