/**
 * Builds a tiny BERT-shaped ONNX model for tests and benchmarks, so the real transformers.js +
 * onnxruntime-node path runs without downloading weights. Inputs `input_ids`, `attention_mask`,
 * `token_type_ids` ([batch, seq] int64); output `last_hidden_state` [batch, seq, hidden]:
 *   last_hidden_state = ((Word[input_ids] + Type[token_type_ids]) · W) ⊙ attention_mask
 * Weights are a seeded pseudo-random function, so tests can recompute the expected embedding.
 *
 * The ModelProto is encoded with protobufjs from the small subset of onnx.proto declared here.
 */
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';

const ONNX_SUBSET = `
syntax = "proto3";
package onnx;
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
message AttributeProto { string name = 1; int64 i = 3; repeated int64 ints = 8; int32 type = 20; }
message NodeProto { repeated string input = 1; repeated string output = 2; string name = 3; string op_type = 4; repeated AttributeProto attribute = 5; }
message TensorProto { repeated int64 dims = 1; int32 data_type = 2; string name = 8; bytes raw_data = 9; }
message Dimension { int64 dim_value = 1; string dim_param = 2; }
message TensorShapeProto { repeated Dimension dim = 1; }
message TensorType { int32 elem_type = 1; TensorShapeProto shape = 2; }
message TypeProto { TensorType tensor_type = 1; }
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message GraphProto { repeated NodeProto node = 1; string name = 2; repeated TensorProto initializer = 5; repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12; }
message ModelProto { int64 ir_version = 1; string producer_name = 2; GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8; }
`;

const FLOAT = 1;
const INT64 = 7;
const ATTR_INT = 2;

/** Deterministic weight for (table, row, col) in [-1, 1). */
export function tinyWeight(table: number, row: number, col: number): number {
  let h = Math.imul(table + 1, 0x9e3779b1) ^ Math.imul(row + 7, 0x85ebca77) ^ Math.imul(col + 13, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return ((h >>> 0) / 2 ** 32) * 2 - 1;
}

function floatTensor(name: string, table: number, rows: number, cols: number): Record<string, unknown> {
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = tinyWeight(table, r, c);
  return { name, dims: [rows, cols], data_type: FLOAT, raw_data: new Uint8Array(data.buffer) };
}

function io(name: string, elem: number, dims: Array<string | number>): Record<string, unknown> {
  return {
    name,
    type: { tensor_type: { elem_type: elem, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) } } },
  };
}

/** Encodes the tiny model; `vocab` rows (use the tokenizer's vocab size), `hidden` columns. */
export function buildTinyBertOnnx(vocab: number, hidden: number): Uint8Array {
  const root = protobuf.parse(ONNX_SUBSET, { keepCase: true }).root;
  const Model = root.lookupType('onnx.ModelProto');
  const node = (op: string, input: string[], output: string[], attribute: unknown[] = []) => ({ op_type: op, input, output, name: output[0], attribute });
  const graph = {
    name: 'tiny-bert',
    initializer: [
      floatTensor('word_embeddings', 0, vocab, hidden),
      floatTensor('type_embeddings', 1, 2, hidden),
      floatTensor('dense', 2, hidden, hidden),
      { name: 'unsq_axes', dims: [1], data_type: INT64, raw_data: new Uint8Array(new BigInt64Array([-1n]).buffer) },
    ],
    node: [
      node('Gather', ['word_embeddings', 'input_ids'], ['words']),
      node('Gather', ['type_embeddings', 'token_type_ids'], ['types']),
      node('Add', ['words', 'types'], ['summed']),
      node('MatMul', ['summed', 'dense'], ['projected']),
      node('Cast', ['attention_mask'], ['mask_f'], [{ name: 'to', i: FLOAT, type: ATTR_INT }]),
      node('Unsqueeze', ['mask_f', 'unsq_axes'], ['mask_3d']),
      node('Mul', ['projected', 'mask_3d'], ['last_hidden_state']),
    ],
    input: [io('input_ids', INT64, ['batch', 'seq']), io('attention_mask', INT64, ['batch', 'seq']), io('token_type_ids', INT64, ['batch', 'seq'])],
    output: [io('last_hidden_state', FLOAT, ['batch', 'seq', hidden])],
  };
  const msg = Model.fromObject({ ir_version: 8, producer_name: 'wardclerk-test', graph, opset_import: [{ domain: '', version: 13 }] });
  return Model.encode(msg).finish();
}

const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'];

/**
 * Writes `<tmp>/<modelId>/` laid out like a hub model folder: the real tokenizer files copied from
 * `tokenizerDir`, a config.json with `hidden_size`, and onnx/model.onnx. Returns the models dir.
 */
export async function writeTinyBertModel(tokenizerDir: string, opts: { modelId?: string; vocab?: number; hidden?: number } = {}): Promise<{ modelsDir: string; modelId: string; hidden: number }> {
  const modelId = opts.modelId ?? 'tiny-bert';
  const hidden = opts.hidden ?? 16;
  const vocab = opts.vocab ?? 30522;
  const modelsDir = await mkdtemp(join(tmpdir(), 'wc-onnx-'));
  const dir = join(modelsDir, modelId);
  await mkdir(join(dir, 'onnx'), { recursive: true });
  for (const f of TOKENIZER_FILES) await copyFile(join(tokenizerDir, f), join(dir, f));
  const config = { architectures: ['BertModel'], model_type: 'bert', hidden_size: hidden, vocab_size: vocab, type_vocab_size: 2, pad_token_id: 0, max_position_embeddings: 512 };
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  await writeFile(join(dir, 'onnx', 'model.onnx'), buildTinyBertOnnx(vocab, hidden));
  return { modelsDir, modelId, hidden };
}
