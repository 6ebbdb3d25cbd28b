/**
 * @roadmap search.elasticsearch
 * Look at the index written out in full instead of left to dynamic mapping: one analyzer for the
 * article texts (standard tokenizer, possessives, lower case, Postgres's stop words, the Snowball
 * English stemmer that Postgres's `english` uses too), keyword fields with a lower-case normalizer
 * for exact filters, offsets stored for fast highlighting, and `dynamic: strict`, so a field that
 * nobody declared is an error rather than a silent new mapping.
 */
import type { estypes } from '@elastic/elasticsearch';
import { ENGLISH_STOP_WORDS } from '../query-text';

export const ARTICLE_INDEX_SETTINGS: estypes.IndicesIndexSettings = {
  number_of_shards: 1,
  // One node (Compose, CI): a replica could never be assigned and the index would stay yellow.
  number_of_replicas: 0,
  analysis: {
    filter: {
      article_possessive: { type: 'stemmer', language: 'possessive_english' },
      article_stop: { type: 'stop', stopwords: [...ENGLISH_STOP_WORDS] },
      // Snowball's English (Porter2): what Postgres's `english` configuration stems with.
      article_stemmer: { type: 'stemmer', language: 'porter2' },
    },
    analyzer: {
      article_text: {
        type: 'custom',
        tokenizer: 'standard',
        filter: ['article_possessive', 'lowercase', 'article_stop', 'article_stemmer'],
      },
    },
    normalizer: {
      article_lowercase: { type: 'custom', filter: ['lowercase'] },
    },
  },
};

const text: estypes.MappingProperty = { type: 'text', analyzer: 'article_text', index_options: 'offsets' };

export const ARTICLE_INDEX_MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    id: { type: 'integer' },
    slug: { type: 'keyword', index: false },
    title: text,
    description: text,
    body: text,
    // Exact for the tag filter; analysed (tags.text) for matching words.
    tags: { type: 'keyword', fields: { text: { type: 'text', analyzer: 'article_text' } } },
    // Usernames compare ignoring case, as in Postgres (citext).
    author: { type: 'keyword', normalizer: 'article_lowercase' },
    createdAt: { type: 'date' },
    updatedAt: { type: 'date' },
  },
};

/** A document as stored in the index. */
export interface ArticleSource {
  id: number;
  slug: string;
  title: string;
  description: string;
  body: string;
  tags: string[];
  author: string;
  createdAt: string;
  updatedAt: string;
}

/** Searched fields and their boosts: a title match counts ten times a body match, as in Postgres. */
export const SEARCHED_FIELDS = ['title^10', 'tags.text^4', 'description^4', 'body'];
