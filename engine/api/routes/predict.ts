import { createRoute, z } from '@hono/zod-openapi';
import { predictTickets } from '../../predict/predict';
import { createRouter, tenantOf } from '../app-types';
import { errorResponses, json, Prediction, PredictRequest, TenantParam } from '../schemas';

export const predictRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/tenants/{tenant}/predict',
    tags: ['predict'],
    summary: "Triage one ticket ({ticket}) or a batch ({tickets}) with the tenant's deployed model",
    description:
      'Every field is predicted only among the allowed choices (the tenant\'s active choices, or `choices` from the request), ' +
      'with parent links kept (a sub-issue type only under its issue type), a calibrated confidence and the top-3 alternatives. ' +
      'A field the model cannot answer among the allowed choices is `unpredictable`, with the reason.',
    request: { params: TenantParam, body: { required: true, content: { 'application/json': { schema: PredictRequest } } } },
    responses: {
      200: json(z.union([z.object({ prediction: Prediction }), z.object({ predictions: z.array(Prediction) })])),
      ...errorResponses(400, 404, 409),
    },
  }),
  async (c) => {
    const engine = c.get('engine');
    const tenant = tenantOf(c, c.req.valid('param').tenant);
    const body = c.req.valid('json');
    if (body.tickets) return c.json({ predictions: await predictTickets(engine, tenant.id, body.tickets, body.choices) }, 200);
    const ticket = (body.ticket ?? body.input)!;
    return c.json({ prediction: (await predictTickets(engine, tenant.id, [ticket], body.choices))[0] }, 200);
  },
);
