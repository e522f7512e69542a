/**
 * Browser-side wrapper for the virtual-authenticator plugin (test/plugins/virtual-authenticator.mjs):
 * a Chromium virtual passkey authenticator, driven over CDP from the test runner.
 */
import { executeServerCommand } from '@web/test-runner-commands';

export interface VirtualAuthenticatorOptions {
  protocol?: 'ctap2' | 'u2f';
  transport?: 'usb' | 'nfc' | 'ble' | 'cable' | 'internal';
  hasResidentKey?: boolean;
  hasUserVerification?: boolean;
  isUserVerified?: boolean;
  automaticPresenceSimulation?: boolean;
}

/** A credential as CDP's WebAuthn.getCredentials reports it. */
export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

export class VirtualAuthenticator {
  private constructor(readonly id: string) {}

  /** Adds an authenticator (internal, resident keys, user verification that succeeds) to this page. */
  static async add(options: VirtualAuthenticatorOptions = {}): Promise<VirtualAuthenticator> {
    const { authenticatorId } = await executeServerCommand<{ authenticatorId: string }, { options: VirtualAuthenticatorOptions }>(
      'add-virtual-authenticator',
      { options },
    );
    return new VirtualAuthenticator(authenticatorId);
  }

  /** Makes user verification (the fingerprint / PIN step) succeed or fail from now on. */
  async setUserVerified(isUserVerified: boolean): Promise<void> {
    await executeServerCommand('set-user-verified', { authenticatorId: this.id, isUserVerified });
  }

  async credentials(): Promise<VirtualCredential[]> {
    const { credentials } = await executeServerCommand<{ credentials: VirtualCredential[] }, { authenticatorId: string }>('get-credentials', {
      authenticatorId: this.id,
    });
    return credentials;
  }

  async remove(): Promise<void> {
    await executeServerCommand('remove-virtual-authenticator', { authenticatorId: this.id });
  }
}
