#!/usr/bin/env node
// Validates Kubernetes objects against the official schemas, offline.
//
//   kubectl kustomize k8s/overlays/production | node tests/k8s-validation/validate.mjs
//
// Reads multi-document YAML from stdin. Every object is checked twice:
//   1. against the JSON schema of its apiVersion/kind, from the OpenAPI document of Kubernetes as packaged by
//      `kubernetes-models` (types, required fields, enums, formats such as quantities);
//   2. for fields that its type does not have (what `kubectl apply --validate=strict` rejects; the OpenAPI
//      schemas themselves let unknown fields through). The known fields come from the same package's type
//      declarations (.d.ts), which are generated from the same OpenAPI document.
// A kind the package does not know (a custom resource, a typo) is an error, and so is a beta apiVersion that
// Kubernetes has removed (the package still carries their schemas).
// Prints one JSON line {"objects": N, "errors": [{"kind", "name", "message"}]} and exits 0 when there are no
// errors, 1 otherwise. No input at all counts as an error too: a render that yields nothing is a broken render.

import { readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const modelsRoot = path.dirname(require.resolve("kubernetes-models/package.json"));

/** "apps/v1" -> "apps/v1", "v1" -> "v1" (the core group), as laid out in kubernetes-models. */
function modelModule(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^[A-Za-z0-9]+$/.test(kind)) return null;
  const parts = apiVersion.split("/");
  if (parts.length > 2 || parts.some((p) => !/^[a-z0-9.-]+$/.test(p))) return null;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

async function loadModel(apiVersion, kind) {
  const specifier = modelModule(apiVersion, kind);
  if (!specifier) return null;
  try {
    const module = await import(specifier);
    const model = module[kind];
    // Only top-level kinds carry apiVersion and kind (DeploymentSpec and the like do not).
    return model && model.apiVersion === apiVersion && model.kind === kind ? { model, specifier } : null;
  } catch (error) {
    if (["ERR_MODULE_NOT_FOUND", "ERR_PACKAGE_PATH_NOT_EXPORTED", "MODULE_NOT_FOUND"].includes(error?.code)) return null;
    throw error;
  }
}

// ---- the fields each type has, read from the generated .d.ts files ------------------------------------------

const declarations = new Map(); // .d.ts path -> { imports: Map(alias -> file), interfaces: Map(name -> type) }

function resolveDts(fromFile, spec) {
  if (spec.startsWith(".")) return path.resolve(path.dirname(fromFile), spec) + ".d.ts";
  for (let dir = path.dirname(fromFile); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", spec) + ".d.ts";
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

function readDeclarations(file) {
  if (declarations.has(file)) return declarations.get(file);
  const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
  const imports = new Map();
  for (const m of text.matchAll(/^import \{([^}]+)\} from "([^"]+)";/gm)) {
    for (const name of m[1].split(",").map((s) => s.trim()).filter(Boolean)) imports.set(name, m[2]);
  }
  const interfaces = new Map();
  for (const m of text.matchAll(/^export interface (\w+)(?: extends ([\w, ]+))? \{\n([\s\S]*?)^\}/gm)) {
    const fields = new Map();
    // Top-level members are indented by four spaces; nested object literals ({ [key: string]: T }) by more.
    const body = m[3];
    const member = /^ {4}"([^"]+)"\??: ([^\n]*?)(;?)\n((?: {8}[^\n]*\n)* {4}\};\n)?/gm;
    for (const f of body.matchAll(member)) {
      let type = f[2];
      if (type === "{" && f[4]) type = `{${f[4].replace(/\s+/g, " ").trim()}`;
      fields.set(f[1], type.trim().replace(/;$/, ""));
    }
    interfaces.set(m[1], { fields, extendsTypeMeta: /\bTypeMeta\b/.test(m[2] ?? "") });
  }
  for (const m of text.matchAll(/^export \{([^}]+)\};/gm)) {
    for (const pair of m[1].split(",")) {
      const [local, alias] = pair.split(" as ").map((s) => s.trim());
      if (alias && interfaces.has(local)) interfaces.set(alias, interfaces.get(local));
    }
  }
  const result = { imports, interfaces };
  declarations.set(file, result);
  return result;
}

/** The interface a type name stands for, seen from `file`; null for aliases of scalars (Quantity, Time, IntOrString…). */
function lookupInterface(file, name) {
  const decl = readDeclarations(file);
  if (decl.interfaces.has(name)) return { file, type: decl.interfaces.get(name) };
  const spec = decl.imports.get(name);
  if (!spec) return null;
  const target = resolveDts(file, spec);
  if (!target) return null;
  const other = readDeclarations(target);
  return other.interfaces.has(name) ? { file: target, type: other.interfaces.get(name) } : null;
}

/** A key as one segment of a JSON pointer (as in the schema errors). */
const pointer = (key) => String(key).replaceAll("~", "~0").replaceAll("/", "~1");

function checkValue(value, typeExpr, file, at, report) {
  if (value === null || value === undefined) return;
  typeExpr = typeExpr.trim();
  let m;
  if ((m = /^Array<(.+)>$/.exec(typeExpr))) {
    if (Array.isArray(value)) value.forEach((item, i) => checkValue(item, m[1], file, `${at}/${i}`, report));
    return;
  }
  if ((m = /^\{ ?\[key: string\]: (.+?);? ?\}$/.exec(typeExpr))) {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, item] of Object.entries(value)) checkValue(item, m[1], file, `${at}/${pointer(key)}`, report);
    }
    return;
  }
  if (/^\w+$/.test(typeExpr) && value && typeof value === "object" && !Array.isArray(value)) {
    const found = lookupInterface(file, typeExpr);
    if (found) checkFields(value, found.type, found.file, at, report);
  }
}

function checkFields(object, type, file, at, report) {
  // A type without declared fields (RawExtension, JSON, FieldsV1) holds free-form data.
  if (type.fields.size === 0) return;
  for (const [key, value] of Object.entries(object)) {
    const fieldType = type.fields.get(key);
    if (fieldType === undefined) {
      if (type.extendsTypeMeta && (key === "apiVersion" || key === "kind")) continue;
      report(`${at}/${pointer(key)} is an unknown field`);
      continue;
    }
    checkValue(value, fieldType, file, `${at}/${pointer(key)}`, report);
  }
}

function unknownFields(object, specifier, kind) {
  const file = resolveDts(path.join(modelsRoot, "index.d.ts"), specifier);
  const decl = file && readDeclarations(file);
  const type = decl && (decl.interfaces.get(`I${kind}`) ?? null);
  if (!type) return [`no type declaration found for ${specifier}`];
  const messages = [];
  checkFields(object, type, file, "", (message) => messages.push(message));
  return messages;
}

// ---- main ----------------------------------------------------------------------------------------------------

function objectsOf(document) {
  // A v1 List (kubectl get -o yaml) carries its objects in items.
  if (document && document.apiVersion === "v1" && document.kind === "List" && Array.isArray(document.items)) {
    return document.items;
  }
  return [document];
}

async function main() {
  const input = readFileSync(0, "utf8");
  const errors = [];
  const objects = [];
  for (const doc of parseAllDocuments(input)) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) errors.push({ kind: "", name: "", message: `YAML: ${e.message}` });
      continue;
    }
    const value = doc.toJS();
    if (value === null || value === undefined) continue; // an empty document between two "---"
    objects.push(...objectsOf(value));
  }

  for (const object of objects) {
    const kind = typeof object?.kind === "string" ? object.kind : "";
    const name = object?.metadata?.name ?? object?.metadata?.generateName ?? "";
    const fail = (message) => errors.push({ kind, name, message });
    if (!object || typeof object !== "object" || Array.isArray(object)) {
      fail("not a Kubernetes object (expected a mapping with apiVersion and kind)");
      continue;
    }
    if (!name) fail("metadata.name is missing");
    // kubernetes-models also ships the schemas of beta versions that Kubernetes has since removed
    // (extensions/v1beta1, policy/v1beta1, batch/v1beta1, flowcontrol…/v1beta3…, all gone by 1.32); an
    // object in one of them would be refused by any current API server.
    if (typeof object.apiVersion === "string" && /\/v\d+(alpha|beta)\d+$/.test(object.apiVersion)) {
      fail(`apiVersion "${object.apiVersion}" is not served by current Kubernetes (removed); use the stable version of ${object.kind}`);
      continue;
    }
    const loaded = await loadModel(object.apiVersion, object.kind);
    if (!loaded) {
      fail(`unknown kind: no schema for apiVersion "${object.apiVersion}", kind "${object.kind}"`);
      continue;
    }
    try {
      new loaded.model(object).validate();
    } catch (error) {
      const details = Array.isArray(error?.errors) && error.errors.length > 0
        ? error.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.allowedValues ? `: ${e.params.allowedValues.join(", ")}` : ""}`)
        : [String(error?.message ?? error)];
      for (const message of details) fail(message);
    }
    for (const message of unknownFields(object, loaded.specifier, object.kind)) fail(message);
  }

  if (objects.length === 0 && errors.length === 0) {
    errors.push({ kind: "", name: "", message: "no Kubernetes objects on stdin" });
  }
  process.stdout.write(JSON.stringify({ objects: objects.length, errors }) + "\n");
  process.exitCode = errors.length === 0 ? 0 : 1;
}

main().catch((error) => {
  process.stdout.write(JSON.stringify({ objects: 0, errors: [{ kind: "", name: "", message: `validator failed: ${error?.stack ?? error}` }] }) + "\n");
  process.exitCode = 1;
});
