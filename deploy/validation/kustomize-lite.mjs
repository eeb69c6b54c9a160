// Renders a kustomization the way `kubectl apply -k` would, for the subset of kustomize that
// deploy/kubernetes uses (no kustomize binary is installable from the registries this project reaches).
// Anything outside that subset is an error, never silently ignored, so a new kustomize feature in the
// manifests makes the test fail until this renderer (or a real kustomize) handles it.
//
// Supported: resources (files and directories with their own kustomization), namespace, images
// (name, newName, newTag, digest), replicas, patches (strategic-merge patch files: maps merge, lists of
// items with a `name` merge by name, other lists are replaced, null deletes).
import { readFileSync, existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";

const supportedFields = new Set(["apiVersion", "kind", "namespace", "resources", "images", "replicas", "patches"]);
const clusterScopedKinds = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass"]);
const workloadKinds = new Set(["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet", "Job"]);

export function readYamlFile(path) {
  const docs = [];
  for (const doc of parseAllDocuments(readFileSync(path, "utf8"))) {
    if (doc.errors.length > 0) {
      throw new Error(`${path}: ${doc.errors.map((e) => e.message).join("; ")}`);
    }
    const value = doc.toJS();
    if (value !== null && value !== undefined) {
      docs.push(value);
    }
  }
  return docs;
}

export function render(directory) {
  const file = ["kustomization.yaml", "kustomization.yml", "Kustomization"].map((n) => join(directory, n)).find(existsSync);
  if (!file) {
    throw new Error(`${directory}: no kustomization.yaml`);
  }
  const [kustomization] = readYamlFile(file);
  for (const field of Object.keys(kustomization)) {
    if (!supportedFields.has(field)) {
      throw new Error(`${file}: '${field}' is not supported by kustomize-lite.mjs`);
    }
  }

  let resources = [];
  for (const entry of kustomization.resources ?? []) {
    const path = resolve(directory, entry);
    resources = resources.concat(statSync(path).isDirectory() ? render(path) : readYamlFile(path));
  }
  for (const patch of kustomization.patches ?? []) {
    if (!patch.path || patch.target || patch.patch) {
      throw new Error(`${file}: only 'patches: - path: <file>' entries are supported`);
    }
    for (const doc of readYamlFile(resolve(directory, patch.path))) {
      const index = resources.findIndex((r) => r.kind === doc.kind && r.metadata?.name === doc.metadata?.name);
      if (index < 0) {
        throw new Error(`${patch.path}: patches ${doc.kind}/${doc.metadata?.name}, which no resource is`);
      }
      resources[index] = strategicMerge(resources[index], doc, patch.path);
    }
  }
  if (kustomization.namespace) {
    resources = resources.map((r) => setNamespace(r, kustomization.namespace));
  }
  for (const image of kustomization.images ?? []) {
    resources = resources.map((r) => setImage(r, image));
  }
  for (const replicas of kustomization.replicas ?? []) {
    const target = resources.find((r) => workloadKinds.has(r.kind) && r.metadata?.name === replicas.name);
    if (!target) {
      throw new Error(`${file}: replicas names ${replicas.name}, which no workload is`);
    }
    target.spec.replicas = replicas.count;
  }
  return resources;
}

export function strategicMerge(base, patch, source) {
  if (isMap(base) && isMap(patch)) {
    const merged = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith("$")) {
        throw new Error(`${source}: patch directive '${key}' is not supported by kustomize-lite.mjs`);
      }
      if (value === null) {
        delete merged[key];
      } else {
        merged[key] = key in base ? strategicMerge(base[key], value, source) : structuredClone(value);
      }
    }
    return merged;
  }
  if (Array.isArray(base) && Array.isArray(patch) && isNamedList(base) && isNamedList(patch)) {
    const merged = base.map((item) => structuredClone(item));
    for (const item of patch) {
      const index = merged.findIndex((m) => m.name === item.name);
      if (index < 0) {
        merged.push(structuredClone(item));
      } else {
        merged[index] = strategicMerge(merged[index], item, source);
      }
    }
    return merged;
  }
  return structuredClone(patch);
}

function setNamespace(resource, namespace) {
  const copy = structuredClone(resource);
  if (!clusterScopedKinds.has(copy.kind)) {
    copy.metadata = { ...copy.metadata, namespace };
  }
  if (copy.kind === "RoleBinding" || copy.kind === "ClusterRoleBinding") {
    for (const subject of copy.subjects ?? []) {
      if (subject.kind === "ServiceAccount" && !subject.namespace) {
        subject.namespace = namespace;
      }
    }
  }
  return copy;
}

function setImage(resource, image) {
  const copy = structuredClone(resource);
  const podSpec = copy.spec?.template?.spec;
  for (const container of [...(podSpec?.containers ?? []), ...(podSpec?.initContainers ?? [])]) {
    const { name, tag, digest } = splitImage(container.image);
    if (name === image.name) {
      const newName = image.newName ?? name;
      container.image = image.digest ? `${newName}@${image.digest}` : `${newName}${image.newTag ? `:${image.newTag}` : tag ? `:${tag}` : digest ? `@${digest}` : ""}`;
    }
  }
  return copy;
}

function splitImage(image) {
  const at = image.indexOf("@");
  if (at >= 0) {
    return { name: image.slice(0, at), digest: image.slice(at + 1) };
  }
  const colon = image.lastIndexOf(":");
  return colon > image.lastIndexOf("/") ? { name: image.slice(0, colon), tag: image.slice(colon + 1) } : { name: image };
}

function isMap(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isNamedList(list) {
  return list.every((item) => isMap(item) && typeof item.name === "string");
}

