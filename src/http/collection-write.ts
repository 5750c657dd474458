import type { Request } from 'express';

/**
 * The writes of a collection as the router matches them (Express: any letter case, one trailing slash): `POST base`
 * and `DELETE base/:id`. `base` is a plain path such as `/api/articles`.
 */
export function collectionWrite(base: string): (req: Request) => boolean {
  const path = base.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  const post = new RegExp(`^${path}/?$`, 'iu');
  const remove = new RegExp(`^${path}/[^/]+/?$`, 'iu');
  return (req) => (req.method === 'POST' && post.test(req.path)) || (req.method === 'DELETE' && remove.test(req.path));
}
