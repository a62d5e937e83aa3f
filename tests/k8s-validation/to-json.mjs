#!/usr/bin/env node
// Turns multi-document YAML on stdin (kubectl kustomize output) into one JSON array on stdout,
// so that the .NET tests can check our own rules on the rendered objects.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const documents = parseAllDocuments(readFileSync(0, "utf8"));
const objects = documents.map((d) => d.toJSON()).filter((o) => o !== null);
process.stdout.write(JSON.stringify(objects));
