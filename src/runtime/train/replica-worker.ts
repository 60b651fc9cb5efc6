/**
 * dlc's replica worker script (started by ./replicas.ts from the build):
 * a replica whose model is the runtime's model builder's. The replica's
 * work is ./replica-serve.ts, shared with emitted projects' src/replica.ts.
 */
import { buildModel } from '../model/build-model.js';
import { serveReplica } from './replica-serve.js';

serveReplica((ir) => buildModel(ir, { seed: ir.spec.seed }));
