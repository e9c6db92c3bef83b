/** The profile types live in src/core/profile.ts (below every layer that uses them); this file re-exports them. */
export type {
  LifecycleStates,
  ResourceProfile,
  IdSource,
  PaginationProfile,
  FilterProfile,
  ErrorEnvelope,
  BodyContext,
  ProviderProfile,
  ProfileProbeApi,
  ExtraAccount,
  ReferenceServer,
  ReferenceServerOptions,
} from '../core/profile.ts';
