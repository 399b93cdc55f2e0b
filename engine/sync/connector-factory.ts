import { createAutotaskConnector } from '../../connectors/autotask';
import { createConnectWiseConnector } from '../../connectors/connectwise';
import type { PsaConnector } from '../../connectors/types';
import type { SecretBox } from '../secrets/secret-box';
import type { ConnectorRow } from '../store/connectors';

/** Which settings of each PSA are secret: they are sealed at rest and never returned by the API. */
export const SECRET_KEYS = {
  autotask: ['secret', 'integrationCode'],
  connectwise: ['privateKey', 'clientId'],
} as const;

/** Builds the PSA client of a stored connection, with its secrets opened only for this call's lifetime. */
export function connectorFor(row: ConnectorRow, box: SecretBox): PsaConnector {
  const secrets = box.open(row.secrets);
  const config = row.config as Record<string, never>;
  if (row.kind === 'autotask') {
    return createAutotaskConnector({
      username: config.username,
      discoveryUrl: config.discoveryUrl,
      impersonationResourceId: config.impersonationResourceId,
      secret: secrets.secret,
      integrationCode: secrets.integrationCode,
      http: config.http,
    });
  }
  return createConnectWiseConnector({
    site: config.site,
    companyId: config.companyId,
    publicKey: config.publicKey,
    boardIds: config.boardIds,
    privateKey: secrets.privateKey,
    clientId: secrets.clientId,
    http: config.http,
  });
}
