/**
 * The Sparkplug B payload as a protobufjs reflection descriptor, written from the
 * Sparkplug 3.0 specification's payload definition (section 6.4, "Payload Definition",
 * and its Google Protocol Buffer schema in the appendix): same field numbers and wire
 * types, our own names. Extensions (`extensions 6 to max` and the `*_value` extension
 * messages) carry nothing a reader can show without knowing them, so they are left out:
 * protobufjs skips unknown fields. The `oneof value` groups are left out too: on the wire
 * a oneof is just its fields, and protobufjs enforces one by deleting the others from
 * each decoded message, which turns every metric into a slow dictionary object (a third
 * of the decode time); the decoder reads the field the datatype names anyway.
 *
 * The metric datatypes (section 6.4.16) live here too, with the names the specification
 * gives them, because the decoder reads a value by its datatype.
 */
import protobuf from 'protobufjs';

/** Sparkplug B datatype names by number (Sparkplug 3.0, section 6.4.16). */
export const SPARKPLUG_DATATYPE_NAMES: readonly string[] = [
  'Unknown',
  'Int8',
  'Int16',
  'Int32',
  'Int64',
  'UInt8',
  'UInt16',
  'UInt32',
  'UInt64',
  'Float',
  'Double',
  'Boolean',
  'String',
  'DateTime',
  'Text',
  'UUID',
  'DataSet',
  'Bytes',
  'File',
  'Template',
  'PropertySet',
  'PropertySetList',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Int64Array',
  'UInt8Array',
  'UInt16Array',
  'UInt32Array',
  'UInt64Array',
  'FloatArray',
  'DoubleArray',
  'BooleanArray',
  'StringArray',
  'DateTimeArray',
];

/** The datatype's name, or "Unknown (n)" for a number the specification does not define. */
export function sparkplugDatatypeName(datatype: number): string {
  return SPARKPLUG_DATATYPE_NAMES[datatype] ?? `Unknown (${datatype})`;
}

/** The value fields shared by metrics, parameters, property values and data set cells, with their field numbers. */
const scalarValueFields = (first: number) => ({
  intValue: { type: 'uint32', id: first },
  longValue: { type: 'uint64', id: first + 1 },
  floatValue: { type: 'float', id: first + 2 },
  doubleValue: { type: 'double', id: first + 3 },
  booleanValue: { type: 'bool', id: first + 4 },
  stringValue: { type: 'string', id: first + 5 },
});

const descriptor = {
  nested: {
    sparkplug: {
      nested: {
        Payload: {
          fields: {
            timestamp: { type: 'uint64', id: 1 },
            metrics: { rule: 'repeated', type: 'Metric', id: 2 },
            seq: { type: 'uint64', id: 3 },
            uuid: { type: 'string', id: 4 },
            body: { type: 'bytes', id: 5 },
          },
          nested: {
            Template: {
              fields: {
                version: { type: 'string', id: 1 },
                metrics: { rule: 'repeated', type: 'Metric', id: 2 },
                parameters: { rule: 'repeated', type: 'Parameter', id: 3 },
                templateRef: { type: 'string', id: 4 },
                isDefinition: { type: 'bool', id: 5 },
              },
              nested: {
                Parameter: {
                  fields: { name: { type: 'string', id: 1 }, type: { type: 'uint32', id: 2 }, ...scalarValueFields(3) },
                },
              },
            },
            DataSet: {
              fields: {
                numOfColumns: { type: 'uint64', id: 1 },
                columns: { rule: 'repeated', type: 'string', id: 2 },
                types: { rule: 'repeated', type: 'uint32', id: 3 },
                rows: { rule: 'repeated', type: 'Row', id: 4 },
              },
              nested: {
                DataSetValue: { fields: scalarValueFields(1) },
                Row: { fields: { elements: { rule: 'repeated', type: 'DataSetValue', id: 1 } } },
              },
            },
            PropertyValue: {
              fields: {
                type: { type: 'uint32', id: 1 },
                isNull: { type: 'bool', id: 2 },
                ...scalarValueFields(3),
                propertysetValue: { type: 'PropertySet', id: 9 },
                propertysetsValue: { type: 'PropertySetList', id: 10 },
              },
            },
            PropertySet: {
              fields: { keys: { rule: 'repeated', type: 'string', id: 1 }, values: { rule: 'repeated', type: 'PropertyValue', id: 2 } },
            },
            PropertySetList: { fields: { propertyset: { rule: 'repeated', type: 'PropertySet', id: 1 } } },
            MetaData: {
              fields: {
                isMultiPart: { type: 'bool', id: 1 },
                contentType: { type: 'string', id: 2 },
                size: { type: 'uint64', id: 3 },
                seq: { type: 'uint64', id: 4 },
                fileName: { type: 'string', id: 5 },
                fileType: { type: 'string', id: 6 },
                md5: { type: 'string', id: 7 },
                description: { type: 'string', id: 8 },
              },
            },
            Metric: {
              fields: {
                name: { type: 'string', id: 1 },
                alias: { type: 'uint64', id: 2 },
                timestamp: { type: 'uint64', id: 3 },
                datatype: { type: 'uint32', id: 4 },
                isHistorical: { type: 'bool', id: 5 },
                isTransient: { type: 'bool', id: 6 },
                isNull: { type: 'bool', id: 7 },
                metadata: { type: 'MetaData', id: 8 },
                properties: { type: 'PropertySet', id: 9 },
                ...scalarValueFields(10),
                bytesValue: { type: 'bytes', id: 16 },
                datasetValue: { type: 'DataSet', id: 17 },
                templateValue: { type: 'Template', id: 18 },
              },
            },
          },
        },
      },
    },
  },
};

/**
 * Marks every message proto2, as the specification's schema is: a JSON descriptor's types
 * default to proto3, where a field sent as 0 or "" reads as absent, and Sparkplug needs to
 * tell seq 0 (an NBIRTH) from no seq (an NDEATH).
 */
function asProto2(node: unknown): void {
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if ('fields' in record) record['edition'] = 'proto2';
  for (const value of Object.values(record)) asProto2(value);
}
asProto2(descriptor.nested.sparkplug);

const root = protobuf.Root.fromJSON(descriptor);

/**
 * The message types the decoder hands to protobufjs's generated decoders (built on first
 * use). Payload, Metric and Template, which every message is made of, it reads itself
 * (sparkplug-decode.ts) straight into their decoded form.
 */
export const sparkplugTypes = {
  dataSet: root.lookupType('sparkplug.Payload.DataSet'),
  propertySet: root.lookupType('sparkplug.Payload.PropertySet'),
  metaData: root.lookupType('sparkplug.Payload.MetaData'),
  parameter: root.lookupType('sparkplug.Payload.Template.Parameter'),
};
