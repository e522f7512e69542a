import { API, parameterRef, empty, header, json, operation, pathParam, queryParam, ref, type Paths } from '../common.ts';

/** Uploads (docs/server.md, "Uploads"). */
export const uploadPaths: Paths = {
  [`${API}/uploads`]: {
    post: operation({
      operationId: 'createUpload',
      summary: 'Upload one file (streamed)',
      description: 'One file part named `file`; its type is detected from the bytes (`uploadTypes`: PDF, JPEG, PNG by default). The limit is the smaller of `uploadMaxBytes` and `maxSize`.',
      tag: 'uploads',
      access: 'user',
      rateLimited: 'uploads',
      parameters: [queryParam('maxSize', 'The form\'s own size limit in bytes (never above `uploadMaxBytes`)', { type: 'integer', minimum: 1 })],
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['file'],
              properties: {
                maxSize: { type: 'integer', minimum: 1, description: 'As the query parameter; before the file part to cut off early' },
                file: { type: 'string', contentMediaType: 'application/octet-stream' },
              },
            },
          },
        },
      },
      responses: {
        201: json('Stored', ref('StoredUpload'), { Location: header('Location', { required: true }) }),
      },
      problems: {
        400: 'No `file` part, two, a text part, another part, an empty file, a bad `maxSize` (`validation`, naming the part); a broken body (`malformed-multipart`); the client hung up (`request-aborted`).',
        408: 'The body stopped arriving for `bodyIdleTimeoutMs` (`request-timeout`); the connection is closed.',
        413: 'The file is over the limit (`body-too-large`, naming `file`).',
        415: 'A type not accepted, as detected from the bytes, or a body that is not `multipart/form-data` (`unsupported-media-type`).',
        429: 'Over `uploadMaxPerDay` uploads in 24 hours (`too-many-uploads`), with `Retry-After`.',
      },
    }),
  },
  [`${API}/uploads/{id}`]: {
    get: operation({
      operationId: 'getUpload',
      summary: 'The bytes of an upload',
      description: 'For its owner, and the officials who see a case it is attached to. `Content-Disposition: attachment` with the display name, the detected `Content-Type`, `X-Content-Type-Options: nosniff`, `Cache-Control: private, no-cache`.',
      tag: 'uploads',
      access: 'user',
      parameters: [pathParam('id', 'The upload id'), parameterRef('If-None-Match')],
      responses: {
        200: {
          description: 'The file, with its detected media type',
          headers: { ETag: header('ETag', { required: true }), 'Content-Disposition': header('Content-Disposition', { required: true }) },
          content: { '*/*': {} },
        },
        304: empty('`If-None-Match` matched', { ETag: header('ETag') }),
      },
      problems: { 404: 'No such upload, or one the user may not read (`not-found`).' },
    }),
  },
};
