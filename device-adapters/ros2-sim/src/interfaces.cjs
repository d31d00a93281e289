// @ts-check
'use strict';

// ROS 2 interface definitions and message checking. Messages come from @foxglove/rosmsg-msgs-common
// (the ROS 2 Jazzy set, a superset of Humble for everything a service robot publishes); the few
// services the simulated robots offer are written out below because that package has messages only.
//
// Checking follows what rclnodejs does when it converts a plain object into a ROS message, as
// ros2-web-bridge's own protocol tests pin it down:
// - an unknown type fails with rclnodejs's "The message required does not exist: …" error;
// - every field must be present, except variable-length arrays (default []) and fields with a
//   default in the definition; a field the type does not have is refused (rclnodejs would drop it
//   silently; refusing it catches misspelt fields in our own adapter);
// - integers must be whole and in range, floats any number (float32 rounded to single precision),
//   bool a boolean, string a string, time/duration {sec, nanosec};
// - std_msgs/Char takes a one-character string or a number from -128 to 127, as in rclnodejs
//   (the ROS 2 definition says uint8; the bridge's tests expect the signed range);
// - arrays are arrays (or typed arrays), of exactly the declared length or within the bound;
//   uint8[] as a base64 string is refused: that is rosbridge_suite's dialect, not this bridge's.
// Messages handed to subscribers are fresh normalised copies (typed arrays become plain arrays,
// as rclnodejs delivers them with enableTypedArray: false).

const path = require('node:path');
const { ros2jazzy } = require('@foxglove/rosmsg-msgs-common');

/**
 * @typedef {object} FieldDef
 * @property {string} name
 * @property {string} type  primitive name, 'time'/'duration', or a message type 'pkg/msg/Name'
 * @property {boolean} isComplex
 * @property {boolean} isArray
 * @property {number} [arrayLength]  fixed-length array
 * @property {number} [arrayUpperBound]  bounded array
 * @property {boolean} hasDefault
 * @property {unknown} [defaultValue]
 */

/**
 * @typedef {object} MessageType
 * @property {'msg'} kind
 * @property {string} name  'pkg/msg/Name'
 * @property {FieldDef[]} fields
 * @property {Record<string, unknown>} constants
 */

/**
 * @typedef {object} ServiceType
 * @property {'srv'} kind
 * @property {string} name  'pkg/srv/Name'
 * @property {MessageType} Request
 * @property {MessageType} Response
 */

/** @typedef {MessageType | ServiceType} InterfaceType */

/** Where rclnodejs keeps its generated interfaces; quoted in the "does not exist" error. */
const GENERATED_ROOT = path.join(__dirname, '..', 'generated');

/**
 * Services the simulated robots and the bridge's tests use, missing from @foxglove/rosmsg-msgs-common
 * (which has messages only). Written by hand from the .srv files of ROS 2 Jazzy: std_srvs (Empty,
 * SetBool, Trigger), action_msgs/srv/CancelGoal and example_interfaces/srv/AddTwoInts.
 * Each entry: [request fields, response fields, response constants].
 * @type {Record<string, [Array<Partial<FieldDef> & {name: string, type: string}>, Array<Partial<FieldDef> & {name: string, type: string}>, Record<string, unknown>?]>}
 */
const HAND_WRITTEN_SERVICES = {
  'std_srvs/srv/Empty': [[], []],
  'std_srvs/srv/SetBool': [
    [{ name: 'data', type: 'bool' }],
    [{ name: 'success', type: 'bool' }, { name: 'message', type: 'string' }],
  ],
  'std_srvs/srv/Trigger': [[], [{ name: 'success', type: 'bool' }, { name: 'message', type: 'string' }]],
  'action_msgs/srv/CancelGoal': [
    [{ name: 'goal_info', type: 'action_msgs/msg/GoalInfo', isComplex: true }],
    [
      { name: 'return_code', type: 'int8' },
      { name: 'goals_canceling', type: 'action_msgs/msg/GoalInfo', isComplex: true, isArray: true },
    ],
    { ERROR_NONE: 0, ERROR_REJECTED: 1, ERROR_UNKNOWN_GOAL_ID: 2, ERROR_GOAL_TERMINATED: 3 },
  ],
  'example_interfaces/srv/AddTwoInts': [
    [{ name: 'a', type: 'int64' }, { name: 'b', type: 'int64' }],
    [{ name: 'sum', type: 'int64' }],
  ],
};

/** rclnodejs's reading of std_msgs/Char: a signed 8-bit value that also takes a one-character string. */
const FIELD_TYPE_OVERRIDES = /** @type {Record<string, Record<string, string>>} */ ({ 'std_msgs/msg/Char': { data: 'char' } });

/** @param {string} foxgloveName 'pkg/Name' */
const fullMessageName = (foxgloveName) => {
  const [pkg, name] = foxgloveName.split('/');
  return `${pkg}/msg/${name}`;
};

/** @type {Map<string, InterfaceType>} */
const registry = new Map();

for (const [foxgloveName, definition] of Object.entries(ros2jazzy)) {
  const name = fullMessageName(foxgloveName);
  /** @type {FieldDef[]} */
  const fields = [];
  /** @type {Record<string, unknown>} */
  const constants = {};
  for (const f of definition.definitions) {
    if (f.isConstant) {
      constants[f.name] = f.value;
      continue;
    }
    /** @type {FieldDef} */
    const field = {
      name: f.name,
      type: f.isComplex ? fullMessageName(f.type) : (FIELD_TYPE_OVERRIDES[name]?.[f.name] ?? f.type),
      isComplex: f.isComplex === true,
      isArray: f.isArray === true,
      hasDefault: f.defaultValue !== undefined,
    };
    if (f.arrayLength !== undefined) field.arrayLength = f.arrayLength;
    if (f.arrayUpperBound !== undefined) field.arrayUpperBound = f.arrayUpperBound;
    if (f.defaultValue !== undefined) field.defaultValue = f.defaultValue;
    fields.push(field);
  }
  registry.set(name, { kind: 'msg', name, fields, constants });
}

/**
 * @param {string} name
 * @param {Array<Partial<FieldDef> & {name: string, type: string}>} fields
 * @param {Record<string, unknown>} constants
 * @returns {MessageType}
 */
function handWrittenMessage(name, fields, constants) {
  return {
    kind: 'msg',
    name,
    fields: fields.map((f) => ({ isComplex: false, isArray: false, hasDefault: false, ...f })),
    constants,
  };
}

for (const [name, [request, response, constants]] of Object.entries(HAND_WRITTEN_SERVICES)) {
  registry.set(name, {
    kind: 'srv',
    name,
    Request: handWrittenMessage(`${name}_Request`, request, {}),
    Response: handWrittenMessage(`${name}_Response`, response, constants ?? {}),
  });
}

/**
 * Resolves 'pkg/msg/Name' or 'pkg/srv/Name' (or {package, type, name}) the way rclnodejs's
 * interface loader does, and fails with its error for anything it does not know.
 * @param {unknown} spec
 * @returns {InterfaceType}
 */
function loadInterface(spec) {
  if (spec !== null && typeof spec === 'object' && 'kind' in spec && registry.get(/** @type {any} */ (spec).name) === spec) {
    return /** @type {InterfaceType} */ (spec);
  }
  let parts;
  if (typeof spec === 'string') {
    parts = spec.split('/');
  } else if (spec !== null && typeof spec === 'object') {
    const o = /** @type {Record<string, unknown>} */ (spec);
    if (!o['package'] || !o['type'] || !o['name']) throw new TypeError('Should provide an object argument to get ROS message class');
    parts = [o['package'], o['type'], o['name']].map(String);
  } else {
    throw new Error(`The message required does not exist: ${String(spec)}`);
  }
  const [pkg, type, name] = parts;
  const found = pkg && type && name && parts.length === 3 ? registry.get(`${pkg}/${type}/${name}`) : undefined;
  if (!found) throw new Error(`The message required does not exist: ${pkg}, ${type}, ${name} at ${GENERATED_ROOT}`);
  return found;
}

/**
 * @param {unknown} spec
 * @returns {MessageType}
 */
function loadMessageType(spec) {
  const found = loadInterface(spec);
  if (found.kind !== 'msg') throw new TypeError(`${found.name} is a service type, not a message type`);
  return found;
}

/**
 * @param {unknown} spec
 * @returns {ServiceType}
 */
function loadServiceType(spec) {
  const found = loadInterface(spec);
  if (found.kind !== 'srv') throw new TypeError(`${found.name} is a message type, not a service type`);
  return found;
}

/** @type {Record<string, [number, number]>} */
const INTEGER_RANGES = {
  int8: [-128, 127],
  uint8: [0, 255],
  byte: [0, 255],
  char: [-128, 127],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  // 64-bit values travel as JavaScript numbers (as rclnodejs 0.x delivers them): whole and safe.
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

/** @param {unknown} value */
function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  return typeof value;
}

/**
 * @param {string} where
 * @param {string} expected
 * @param {unknown} value
 */
function invalid(where, expected, value) {
  return new TypeError(`Invalid value at ${where}: expected ${expected}, got ${describe(value)}`);
}

/**
 * @param {string} type
 * @param {unknown} value
 * @param {string} where
 * @returns {unknown}
 */
function normalizePrimitive(type, value, where) {
  switch (type) {
    case 'bool':
      if (typeof value !== 'boolean') throw invalid(where, 'bool', value);
      return value;
    case 'string':
    case 'wstring':
      if (typeof value !== 'string') throw invalid(where, type, value);
      return value;
    case 'float32':
      if (typeof value !== 'number') throw invalid(where, 'float32', value);
      return Math.fround(value);
    case 'float64':
      if (typeof value !== 'number') throw invalid(where, 'float64', value);
      return value;
    case 'time':
    case 'duration': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(where, `${type} {sec, nanosec}`, value);
      const v = /** @type {Record<string, unknown>} */ (value);
      for (const key of Object.keys(v)) {
        if (key !== 'sec' && key !== 'nanosec') throw new TypeError(`Invalid value at ${where}: ${type} has no field '${key}'`);
      }
      if (v['sec'] === undefined) throw new TypeError(`Invalid value at ${where}.sec: missing int32`);
      if (v['nanosec'] === undefined) throw new TypeError(`Invalid value at ${where}.nanosec: missing uint32`);
      return {
        sec: normalizePrimitive('int32', v['sec'], `${where}.sec`),
        nanosec: normalizePrimitive('uint32', v['nanosec'], `${where}.nanosec`),
      };
    }
    default: {
      const range = INTEGER_RANGES[type];
      if (!range) throw new TypeError(`Invalid definition at ${where}: unknown primitive type ${type}`);
      let n = value;
      if (type === 'char' && typeof value === 'string') {
        if (value.length !== 1) throw invalid(where, 'char (one character or -128..127)', value);
        n = value.charCodeAt(0);
      }
      if (typeof n === 'bigint' && (type === 'int64' || type === 'uint64')) n = Number(n);
      if (typeof n !== 'number' || !Number.isInteger(n) || n < range[0] || n > range[1]) {
        throw invalid(where, `${type} (a whole number from ${range[0]} to ${range[1]})`, value);
      }
      return n;
    }
  }
}

/**
 * @param {FieldDef} field
 * @param {unknown} value
 * @param {string} where
 * @returns {unknown}
 */
function normalizeField(field, value, where) {
  if (!field.isArray) return normalizeSingle(field, value, where);
  if (!Array.isArray(value) && !(ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    const shape = field.arrayLength !== undefined ? `[${field.arrayLength}]` : field.arrayUpperBound !== undefined ? `[<=${field.arrayUpperBound}]` : '[]';
    throw invalid(where, `${field.type}${shape} as an array`, value);
  }
  const items = /** @type {ArrayLike<unknown>} */ (value);
  if (field.arrayLength !== undefined && items.length !== field.arrayLength) {
    throw new TypeError(`Invalid value at ${where}: expected exactly ${field.arrayLength} elements, got ${items.length}`);
  }
  if (field.arrayUpperBound !== undefined && items.length > field.arrayUpperBound) {
    throw new TypeError(`Invalid value at ${where}: expected at most ${field.arrayUpperBound} elements, got ${items.length}`);
  }
  const out = new Array(items.length);
  for (let i = 0; i < items.length; i++) out[i] = normalizeSingle(field, items[i], `${where}[${i}]`);
  return out;
}

/**
 * @param {FieldDef} field
 * @param {unknown} value
 * @param {string} where
 */
function normalizeSingle(field, value, where) {
  if (field.isComplex) return normalizeObject(loadMessageType(field.type), value, where);
  return normalizePrimitive(field.type, value, where);
}

/**
 * @param {MessageType} type
 * @param {unknown} value
 * @param {string} where
 * @returns {Record<string, unknown>}
 */
function normalizeObject(type, value, where) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(where, `a ${type.name} object`, value);
  const input = /** @type {Record<string, unknown>} */ (value);
  for (const key of Object.keys(input)) {
    if (!type.fields.some((f) => f.name === key)) throw new TypeError(`Invalid value at ${where}: ${type.name} has no field '${key}'`);
  }
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const field of type.fields) {
    const v = input[field.name];
    const at = `${where}.${field.name}`;
    if (v === undefined) {
      if (field.hasDefault) out[field.name] = structuredClone(field.defaultValue);
      else if (field.isArray && field.arrayLength === undefined) out[field.name] = [];
      else throw new TypeError(`Invalid value at ${at}: missing ${field.type}${field.isArray ? '[]' : ''}`);
      continue;
    }
    out[field.name] = normalizeField(field, v, at);
  }
  return out;
}

/**
 * Checks a plain object against a message type and returns a normalised copy; throws a TypeError
 * naming the offending field. As in rclnodejs, a type whose only field is `data` also takes the
 * bare value (publisher.publish('hello') on std_msgs/msg/String).
 * @param {MessageType} type
 * @param {unknown} value
 * @returns {Record<string, unknown>}
 */
function normalizeMessage(type, value) {
  const only = type.fields.length === 1 ? type.fields[0] : undefined;
  if (only && only.name === 'data' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    return normalizeObject(type, { data: value }, type.name);
  }
  return normalizeObject(type, value, type.name);
}

/**
 * A message with every field at its default: 0, false, '', zero time, empty or default-filled arrays.
 * @param {MessageType} type
 * @returns {Record<string, unknown>}
 */
function defaultMessage(type) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const field of type.fields) {
    if (field.hasDefault) {
      out[field.name] = structuredClone(field.defaultValue);
    } else if (field.isArray) {
      out[field.name] = field.arrayLength === undefined ? [] : Array.from({ length: field.arrayLength }, () => defaultSingle(field));
    } else {
      out[field.name] = defaultSingle(field);
    }
  }
  return out;
}

/** @param {FieldDef} field */
function defaultSingle(field) {
  if (field.isComplex) return defaultMessage(loadMessageType(field.type));
  switch (field.type) {
    case 'bool':
      return false;
    case 'string':
    case 'wstring':
      return '';
    case 'time':
    case 'duration':
      return { sec: 0, nanosec: 0 };
    default:
      return 0;
  }
}

/** Every interface name the simulator knows, for diagnostics and tests. */
function knownInterfaces() {
  return [...registry.keys()].sort();
}

module.exports = {
  GENERATED_ROOT,
  loadInterface,
  loadMessageType,
  loadServiceType,
  normalizeMessage,
  defaultMessage,
  knownInterfaces,
};
