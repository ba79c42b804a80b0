import 'reflect-metadata';
import { Controller, Get, Post } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { assertEveryRouteDeclared, routeCatalog } from './route-catalog.js';
import { Route } from './route.decorator.js';

@Controller('api/v1/things')
class DeclaredController {
  @Get()
  @Route({ summary: 'List things', access: 'content.read' })
  list() {
    return [];
  }
}

@Controller('api/v1/loose')
class UndeclaredController {
  @Get()
  @Route({ summary: 'Fine', access: 'public' })
  fine() {
    return {};
  }

  @Post(':id')
  forgotten() {
    return {};
  }
}

async function contextWith(controller: new () => unknown) {
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], controllers: [controller] }).compile();
  return moduleRef.init();
}

describe('route declarations', () => {
  it('lists every route with its method, full path and spec', async () => {
    const app = await contextWith(DeclaredController);
    expect(routeCatalog(app).map((r) => [r.method, r.path, r.spec?.access])).toEqual([['GET', '/api/v1/things', 'content.read']]);
    expect(() => assertEveryRouteDeclared(app)).not.toThrow();
  });

  it('refuses to boot when a route does not say who may call it', async () => {
    const app = await contextWith(UndeclaredController);
    expect(() => assertEveryRouteDeclared(app)).toThrow(/POST \/api\/v1\/loose\/:id \(UndeclaredController\.forgotten\)/);
  });
});
