import { describe, expect, it } from 'vitest';
import { amzDate, canonicalRequest, EMPTY_SHA256, sha256Hex, sign, stringToSign, uriEncode } from '../src/common/sigv4.js';

/**
 * AWS's published Signature Version 4 examples, the expected strings typed in from the documents:
 * Amazon S3's "Examples: Signature Calculations" (header form, examplebucket) and the general
 * aws-sig-v4-test-suite (service "service", example.amazonaws.com).
 */
const S3_DOCS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const S3_SCOPE = { region: 'us-east-1', service: 's3', amzDate: '20130524T000000Z' };
const SUITE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SUITE_SCOPE = { region: 'us-east-1', service: 'service', amzDate: '20150830T123600Z' };

describe('AWS Signature Version 4', () => {
  it('signs the S3 documentation’s GET object example (Range bytes=0-9 of test.txt)', () => {
    const req = {
      method: 'GET',
      path: '/test.txt',
      headers: { Host: 'examplebucket.s3.amazonaws.com', Range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY_SHA256, 'x-amz-date': '20130524T000000Z' },
      payloadHash: EMPTY_SHA256,
    };
    const { canonical } = canonicalRequest(req);
    expect(canonical).toBe(
      'GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\nx-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(stringToSign(canonical, S3_SCOPE)).toBe('AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972');
    expect(sign(req, S3_SCOPE, S3_DOCS).authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('signs the S3 documentation’s PUT object example (test$file.text, a signed payload)', () => {
    const body = 'Welcome to Amazon S3.';
    expect(sha256Hex(body)).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const req = {
      method: 'PUT',
      path: `/${uriEncode('test$file.text', true)}`,
      headers: {
        Host: 'examplebucket.s3.amazonaws.com',
        Date: 'Fri, 24 May 2013 00:00:00 GMT',
        'x-amz-date': '20130524T000000Z',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        'x-amz-content-sha256': sha256Hex(body),
      },
      payloadHash: sha256Hex(body),
    };
    expect(req.path).toBe('/test%24file.text');
    expect(sign(req, S3_SCOPE, S3_DOCS).signature).toBe('98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');
  });

  it('signs the S3 documentation’s GET bucket lifecycle and list objects examples (query strings)', () => {
    const headers = { Host: 'examplebucket.s3.amazonaws.com', 'x-amz-date': '20130524T000000Z', 'x-amz-content-sha256': EMPTY_SHA256 };
    expect(sign({ method: 'GET', path: '/', query: { lifecycle: '' }, headers, payloadHash: EMPTY_SHA256 }, S3_SCOPE, S3_DOCS).signature).toBe(
      'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
    );
    expect(sign({ method: 'GET', path: '/', query: { prefix: 'J', 'max-keys': '2' }, headers, payloadHash: EMPTY_SHA256 }, S3_SCOPE, S3_DOCS).signature).toBe(
      '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
    );
  });

  it('signs the test suite’s get-vanilla and get-vanilla-query-order-key-case', () => {
    const headers = { Host: 'example.amazonaws.com', 'X-Amz-Date': '20150830T123600Z' };
    expect(sign({ method: 'GET', path: '/', headers, payloadHash: EMPTY_SHA256 }, SUITE_SCOPE, SUITE).authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'.replace(/, /g, ','),
    );
    expect(sign({ method: 'GET', path: '/', query: { Param2: 'value2', Param1: 'value1' }, headers, payloadHash: EMPTY_SHA256 }, SUITE_SCOPE, SUITE).signature).toBe(
      'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
    );
  });

  it('changes with any signed part: method, path, a header, the payload, the key', () => {
    const base = { method: 'GET', path: '/a', headers: { host: 'h', 'x-amz-date': '20150830T123600Z' }, payloadHash: EMPTY_SHA256 };
    const reference = sign(base, SUITE_SCOPE, SUITE).signature;
    for (const changed of [
      { ...base, method: 'PUT' },
      { ...base, path: '/b' },
      { ...base, headers: { ...base.headers, host: 'i' } },
      { ...base, payloadHash: sha256Hex('x') },
    ]) {
      expect(sign(changed, SUITE_SCOPE, SUITE).signature).not.toBe(reference);
    }
    expect(sign(base, SUITE_SCOPE, { ...SUITE, secretAccessKey: 'other' }).signature).not.toBe(reference);
    expect(amzDate(new Date('2013-05-24T00:00:00.000Z'))).toBe('20130524T000000Z');
    expect(uriEncode('a b/ü~', true)).toBe('a%20b/%C3%BC~');
  });
});
