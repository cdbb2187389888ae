/** Kubernetes name rules (apimachinery validation) and generateName suffixes. */
import { randomInt } from 'node:crypto';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Problems with a DNS-1123 label (namespaces): empty array when valid. */
export function dns1123LabelErrors(value: string, maxLength = 63): string[] {
  const errors: string[] = [];
  if (value.length > maxLength) errors.push(`must be no more than ${maxLength} characters`);
  if (!DNS1123_LABEL.test(value)) {
    errors.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return errors;
}

/** Problems with a DNS-1123 subdomain (object names): empty array when valid. */
export function dns1123SubdomainErrors(value: string, maxLength = 253): string[] {
  const errors: string[] = [];
  if (value.length > maxLength) errors.push(`must be no more than ${maxLength} characters`);
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errors.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return errors;
}

// The alphabet apimachinery's rand.String uses (no vowels, no look-alikes).
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SUFFIX_LENGTH = 5;
const MAX_GENERATED_NAME_LENGTH = 63 - SUFFIX_LENGTH;

/** `generateName` + 5 random lowercase alphanumerics, base truncated like apimachinery does. */
export function generateName(base: string): string {
  const prefix = base.length > MAX_GENERATED_NAME_LENGTH ? base.slice(0, MAX_GENERATED_NAME_LENGTH) : base;
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return prefix + suffix;
}
