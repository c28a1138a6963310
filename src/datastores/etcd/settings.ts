/** How to reach an etcd v3 cluster: the fields of calicoctl's etcd configuration. */
export interface EtcdSettings {
  /** Client URLs, e.g. `https://10.0.0.1:2379` (calicoctl `etcdEndpoints`, `ETCD_ENDPOINTS`). */
  endpoints: string[];
  /** PEM files (`ETCD_CA_CERT_FILE`, `ETCD_CERT_FILE`, `ETCD_KEY_FILE`). */
  caCertFile?: string;
  certFile?: string;
  keyFile?: string;
  /** Inline PEM (calicoctl.cfg `etcdCACert`, `etcdCert`, `etcdKey`); win over the files. */
  caCert?: string;
  cert?: string;
  key?: string;
  /** etcd user authentication (`ETCD_USERNAME`, `ETCD_PASSWORD`). */
  username?: string;
  password?: string;
}
