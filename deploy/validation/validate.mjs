// node validate.mjs <kustomization dir>...
// Renders each kustomization (kustomize-lite.mjs) and validates every resulting object against the
// Kubernetes OpenAPI schemas compiled into the npm package kubernetes-models. Prints one JSON object
// { results: [{ kustomization, documents, errors }] } for the C# tests, which also read the rendered
// documents, and exits 1 when any kustomization has an error.
import * as models from "kubernetes-models";
import { render } from "./kustomize-lite.mjs";

// The package exports core types as models.v1.Pod and the others by group: models.apps.v1.Deployment.
const modelsByType = new Map();
(function collect(exports, depth) {
  for (const value of Object.values(exports)) {
    if (typeof value === "function" && value.apiVersion && value.kind) {
      modelsByType.set(`${value.apiVersion} ${value.kind}`, value);
    } else if (value && typeof value === "object" && depth < 2) {
      collect(value, depth + 1);
    }
  }
})(models, 0);

function validate(document) {
  const label = `${document?.kind ?? "(no kind)"}/${document?.metadata?.name ?? "(no name)"}`;
  const Model = modelsByType.get(`${document?.apiVersion} ${document?.kind}`);
  if (!Model) {
    return [`${label}: apiVersion '${document?.apiVersion}' kind '${document?.kind}' is not a Kubernetes type`];
  }
  if (!document.metadata?.name) {
    return [`${label}: metadata.name is required`];
  }
  try {
    new Model(document).validate();
    return [];
  } catch (error) {
    return [`${label}: ${error.message}`];
  }
}

const results = process.argv.slice(2).map((kustomization) => {
  try {
    const documents = render(kustomization);
    return { kustomization, documents, errors: documents.flatMap(validate) };
  } catch (error) {
    return { kustomization, documents: [], errors: [error.message] };
  }
});
process.stdout.write(JSON.stringify({ results }, null, 2) + "\n");
process.exitCode = results.some((r) => r.errors.length > 0) ? 1 : 0;
