// @ts-check
'use strict';

// Topic, service, node and namespace names, validated and expanded the way rcl and rmw do it, with
// their error strings (rmw/validate_full_topic_name.c, rcl/validate_topic_name.c,
// rmw/validate_node_name.c, rmw/validate_namespace.c), so that the bridge's error replies read the
// same as against a real ROS 2 graph.

/** rmw's RMW_TOPIC_MAX_NAME_LENGTH (255 minus the DDS prefix); the message quotes the macro text. */
const TOPIC_MAX_NAME_LENGTH = 247;
const NODE_NAME_MAX_LENGTH = 255;
/** rmw's RMW_NAMESPACE_MAX_LENGTH. */
const NAMESPACE_MAX_LENGTH = TOPIC_MAX_NAME_LENGTH - 2;

/** @param {string} c */
const isAlnum = (c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
/** @param {string | undefined} c */
const isDigit = (c) => c !== undefined && c >= '0' && c <= '9';

/** @typedef {[message: string, invalidIndex: number]} ValidationFailure */

/**
 * rmw_validate_full_topic_name: null when valid, else [message, index].
 * @param {string} name
 * @returns {ValidationFailure | null}
 */
function checkFullTopicName(name) {
  if (name.length === 0) return ['topic name must not be empty', 0];
  if (name[0] !== '/') return ["topic name must be absolute, it must lead with a '/'", 0];
  if (name[name.length - 1] === '/') return ["topic name must not end with a '/'", name.length - 1];
  for (let i = 0; i < name.length; i++) {
    const c = /** @type {string} */ (name[i]);
    if (!isAlnum(c) && c !== '_' && c !== '/') {
      return ["topic name must not contain characters other than alphanumerics, '_', or '/'", i];
    }
  }
  for (let i = 0; i < name.length - 1; i++) {
    if (name[i] === '/') {
      if (name[i + 1] === '/') return ["topic name must not contain repeated '/'", i + 1];
      if (isDigit(name[i + 1])) return ['topic name must not have a token that starts with a number', i + 1];
    }
  }
  if (name.length > TOPIC_MAX_NAME_LENGTH) return ["topic length should not exceed '255U - 8U'", TOPIC_MAX_NAME_LENGTH - 1];
  return null;
}

/**
 * rcl_validate_topic_name (relative names, '~' and {substitutions} allowed): null when valid.
 * @param {string} name
 * @returns {ValidationFailure | null}
 */
function checkTopicName(name) {
  if (name.length === 0) return ['topic name must not be empty string', 0];
  if (isDigit(name[0])) return ['topic name token must not start with a number', 0];
  if (name[name.length - 1] === '/') return ['topic name must not end with a forward slash', name.length - 1];
  let inBrace = false;
  let braceAt = 0;
  for (let i = 0; i < name.length; i++) {
    const c = /** @type {string} */ (name[i]);
    if (isAlnum(c)) {
      if (isDigit(c) && inBrace && i > 0 && i - 1 === braceAt) return ['substitution name must not start with a number', i];
    } else if (c === '_') {
      // allowed
    } else if (c === '/') {
      if (inBrace) return ["substitution name must not contain characters other than alphanumerics or '_'", i];
    } else if (c === '~') {
      if (i !== 0) return ["topic name must not have tilde '~' unless it is the first character", i];
    } else if (c === '{') {
      if (inBrace) return ["substitution name must not contain characters other than alphanumerics or '_'", i];
      inBrace = true;
      braceAt = i;
    } else if (c === '}') {
      if (!inBrace) return ["topic name must not have unmatched (unbalanced) curly braces '{}'", i];
      inBrace = false;
    } else {
      return inBrace
        ? ["substitution name must not contain characters other than alphanumerics or '_'", i]
        : ["topic name must not contain characters other than alphanumerics, '_', '~', '{', or '}'", i];
    }
  }
  if (inBrace) return ["topic name must not have unmatched (unbalanced) curly braces '{}'", braceAt];
  for (let i = 0; i < name.length - 1; i++) {
    if (name[i] === '/') {
      if (isDigit(name[i + 1])) return ['topic name token must not start with a number', i + 1];
    } else if (i === 1 && name[0] === '~') {
      return ["topic name must not have a tilde '~' that is not followed by a forward slash '/'", 1];
    }
  }
  return null;
}

/**
 * rmw_validate_node_name.
 * @param {string} name
 * @returns {ValidationFailure | null}
 */
function checkNodeName(name) {
  if (name.length === 0) return ['node name must not be empty', 0];
  for (let i = 0; i < name.length; i++) {
    const c = /** @type {string} */ (name[i]);
    if (!isAlnum(c) && c !== '_') return ["node name must not contain characters other than alphanumerics or '_'", i];
  }
  if (isDigit(name[0])) return ['node name must not start with a number', 0];
  if (name.length > NODE_NAME_MAX_LENGTH) return ["node name length should not exceed '255'", NODE_NAME_MAX_LENGTH - 1];
  return null;
}

/**
 * rmw_validate_namespace: a namespace is a full topic name that may also be just '/'.
 * @param {string} namespace
 * @returns {ValidationFailure | null}
 */
function checkNamespace(namespace) {
  if (namespace === '/') return null;
  if (namespace.length === 0) return ['namespace must not be empty', 0];
  const failure = checkFullTopicName(namespace);
  if (failure) return [failure[0].replace(/^topic name/, 'namespace').replace(/^topic length/, 'namespace length'), failure[1]];
  if (namespace.length > NAMESPACE_MAX_LENGTH) return ["namespace should not exceed '245'", NAMESPACE_MAX_LENGTH - 1];
  return null;
}

/**
 * The error rclnodejs's validator throws: an Error with the rcl/rmw message and `invalidIndex`.
 * @param {ValidationFailure} failure
 */
function validationError(failure) {
  const error = /** @type {Error & { invalidIndex?: number }} */ (new Error(failure[0]));
  error.invalidIndex = failure[1];
  return error;
}

/**
 * @param {(name: string) => ValidationFailure | null} check
 * @returns {(name: unknown) => true}
 */
function validatorFor(check) {
  return (name) => {
    if (typeof name !== 'string') throw new TypeError('Invalid argument');
    const failure = check(name);
    if (failure) throw validationError(failure);
    return true;
  };
}

/** rclnodejs's `validator` object: each function returns true or throws. */
const validator = Object.freeze({
  validateFullTopicName: validatorFor(checkFullTopicName),
  validateTopicName: validatorFor(checkTopicName),
  validateNodeName: validatorFor(checkNodeName),
  validateNamespace: validatorFor(checkNamespace),
});

/**
 * rcl_expand_topic_name followed by full-name validation: '~' is the node's fully qualified name,
 * {node} and {ns}/{namespace} are substituted, relative names go under the node's namespace.
 * Throws with the rcl message when the name is invalid, the way node.createPublisher() does.
 * @param {unknown} name
 * @param {string} nodeName
 * @param {string} namespace  normalised: '/' or '/a/b'
 * @param {'topic' | 'service'} kind
 * @returns {string}
 */
function expandName(name, nodeName, namespace, kind) {
  if (typeof name !== 'string') throw new TypeError('Invalid argument');
  const relative = checkTopicName(name);
  if (relative) throw new Error(`Invalid ${kind} name '${name}': ${relative[0]} (at index ${relative[1]})`);
  const nsPrefix = namespace === '/' ? '' : namespace;
  let expanded = name.replace(/\{(\w+)\}/g, (whole, key) => {
    if (key === 'node') return nodeName;
    if (key === 'ns' || key === 'namespace') return nsPrefix.replace(/^\//, '');
    throw new Error(`Invalid ${kind} name '${name}': unknown substitution ${whole}`);
  });
  if (expanded.startsWith('~')) expanded = `${nsPrefix}/${nodeName}${expanded.slice(1)}`;
  else if (!expanded.startsWith('/')) expanded = `${nsPrefix}/${expanded}`;
  const full = checkFullTopicName(expanded);
  if (full) throw new Error(`Invalid ${kind} name '${name}': ${full[0]} (at index ${full[1]})`);
  return expanded;
}

module.exports = { validator, expandName, checkFullTopicName, checkTopicName, checkNodeName, checkNamespace };
