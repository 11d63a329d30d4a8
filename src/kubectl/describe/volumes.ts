/** describeVolumes and the per-source printers; also the PVC printer shared with ephemeral volumes. */
import { printAnnotationsMultiline, printLabelsMultiline } from './blocks.js';
import { goStringSlice, goV } from './format.js';
import { fmtQuantity, parseQuantity } from './quantity.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, NestedPrefixWriter, type PrefixWriter } from './writer.js';

const b = (v: unknown): string => (v === true ? 'true' : 'false');
const s = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const n = (v: unknown): string => (v === undefined || v === null ? '0' : String(v));

/** %v of a *LocalObjectReference / *SecretReference (generated String()) */
function refV(r: any, withNs = false): string {
  if (!r) return 'nil';
  return withNs ? `&SecretReference{Name:${s(r.name)},Namespace:${s(r.namespace)},}` : `&LocalObjectReference{Name:${s(r.name)},}`;
}

function lines(w: PrefixWriter, type: string, fields: [string, string][]): void {
  let text = `Type:\t${type}\n`;
  for (const [k, v] of fields) text += `    ${k}\t${v}\n`;
  w.write(LEVEL_2, text);
}

export function describeVolumes(volumes: any[] | undefined, w: PrefixWriter, space: string): void {
  if (!volumes || volumes.length === 0) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(LEVEL_0, `${space}Volumes:\n`);
  for (const v of volumes) {
    const nameIndent = space.length > 0 ? ' ' : '';
    w.write(LEVEL_1, `${nameIndent}${v?.name ?? ''}:\n`);
    printVolumeSource(v ?? {}, w);
  }
}

function printVolumeSource(v: any, w: PrefixWriter): void {
  if (v.hostPath) return printHostPath(v.hostPath, w);
  if (v.emptyDir) {
    const lim = parseQuantity(v.emptyDir.sizeLimit);
    const sizeLimit = lim && lim.nanos > 0n ? fmtQuantity(v.emptyDir.sizeLimit) : '<unset>';
    return lines(w, "EmptyDir (a temporary directory that shares a pod's lifetime)", [
      ['Medium:', s(v.emptyDir.medium)],
      ['SizeLimit:', sizeLimit],
    ]);
  }
  if (v.gcePersistentDisk) {
    const g = v.gcePersistentDisk;
    return lines(w, 'GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)', [
      ['PDName:', s(g.pdName)],
      ['FSType:', s(g.fsType)],
      ['Partition:', n(g.partition)],
      ['ReadOnly:', b(g.readOnly)],
    ]);
  }
  if (v.awsElasticBlockStore) {
    const a = v.awsElasticBlockStore;
    return lines(w, 'AWSElasticBlockStore (a Persistent Disk resource in AWS)', [
      ['VolumeID:', s(a.volumeID)],
      ['FSType:', s(a.fsType)],
      ['Partition:', n(a.partition)],
      ['ReadOnly:', b(a.readOnly)],
    ]);
  }
  if (v.gitRepo) {
    return lines(w, 'GitRepo (a volume that is pulled from git when the pod is created)', [
      ['Repository:', s(v.gitRepo.repository)],
      ['Revision:', s(v.gitRepo.revision)],
    ]);
  }
  if (v.secret) {
    return lines(w, 'Secret (a volume populated by a Secret)', [
      ['SecretName:', s(v.secret.secretName)],
      ['Optional:', b(v.secret.optional)],
    ]);
  }
  if (v.configMap) {
    return lines(w, 'ConfigMap (a volume populated by a ConfigMap)', [
      ['Name:', s(v.configMap.name)],
      ['Optional:', b(v.configMap.optional)],
    ]);
  }
  if (v.nfs) return printNFS(v.nfs, w);
  if (v.iscsi) return printISCSI(v.iscsi, w);
  if (v.glusterfs) {
    return lines(w, "Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)", [
      ['EndpointsName:', s(v.glusterfs.endpoints)],
      ['Path:', s(v.glusterfs.path)],
      ['ReadOnly:', b(v.glusterfs.readOnly)],
    ]);
  }
  if (v.persistentVolumeClaim) {
    return lines(w, 'PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)', [
      ['ClaimName:', s(v.persistentVolumeClaim.claimName)],
      ['ReadOnly:', b(v.persistentVolumeClaim.readOnly)],
    ]);
  }
  if (v.ephemeral) {
    w.write(LEVEL_2, 'Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n');
    const t = v.ephemeral.volumeClaimTemplate;
    if (t) printPersistentVolumeClaim(new NestedPrefixWriter(w, LEVEL_2), { metadata: t.metadata ?? {}, spec: t.spec ?? {} }, false);
    return;
  }
  if (v.rbd) return printRBD(v.rbd, w);
  if (v.quobyte) return printQuobyte(v.quobyte, w);
  if (v.downwardAPI) {
    w.write(LEVEL_2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
    for (const m of v.downwardAPI.items ?? []) {
      if (m?.fieldRef) w.write(LEVEL_3, `${s(m.fieldRef.fieldPath)} -> ${s(m.path)}\n`);
      if (m?.resourceFieldRef) w.write(LEVEL_3, `${s(m.resourceFieldRef.resource)} -> ${s(m.path)}\n`);
    }
    return;
  }
  if (v.azureDisk) return printAzureDisk(v.azureDisk, w);
  if (v.vsphereVolume) return printVsphere(v.vsphereVolume, w);
  if (v.cinder) {
    return lines(w, 'Cinder (a Persistent Disk resource in OpenStack)', [
      ['VolumeID:', s(v.cinder.volumeID)],
      ['FSType:', s(v.cinder.fsType)],
      ['ReadOnly:', b(v.cinder.readOnly)],
      ['SecretRef:', refV(v.cinder.secretRef)],
    ]);
  }
  if (v.photonPersistentDisk) return printPhoton(v.photonPersistentDisk, w);
  if (v.portworxVolume) return lines(w, 'PortworxVolume (a Portworx Volume resource)', [['VolumeID:', s(v.portworxVolume.volumeID)]]);
  if (v.scaleIO) {
    const x = v.scaleIO;
    return lines(w, 'ScaleIO (a persistent volume backed by a block device in ScaleIO)', [
      ['Gateway:', s(x.gateway)],
      ['System:', s(x.system)],
      ['Protection Domain:', s(x.protectionDomain)],
      ['Storage Pool:', s(x.storagePool)],
      ['Storage Mode:', s(x.storageMode)],
      ['VolumeName:', s(x.volumeName)],
      ['FSType:', s(x.fsType)],
      ['ReadOnly:', b(x.readOnly)],
    ]);
  }
  if (v.cephfs) return printCephFS(v.cephfs, w, false);
  if (v.storageos) return printStorageOS(v.storageos, w);
  if (v.fc) return printFC(v.fc, w);
  if (v.azureFile) {
    return lines(w, 'AzureFile (an Azure File Service mount on the host and bind mount to the pod)', [
      ['SecretName:', s(v.azureFile.secretName)],
      ['ShareName:', s(v.azureFile.shareName)],
      ['ReadOnly:', b(v.azureFile.readOnly)],
    ]);
  }
  if (v.flexVolume) return printFlex(v.flexVolume, w);
  if (v.flocker) return printFlocker(v.flocker, w);
  if (v.projected) {
    w.write(LEVEL_2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
    for (const src of v.projected.sources ?? []) {
      if (src?.secret) w.write(LEVEL_2, `SecretName:\t${s(src.secret.name)}\n    Optional:\t${b(src.secret.optional)}\n`);
      else if (src?.downwardAPI) w.write(LEVEL_2, 'DownwardAPI:\ttrue\n');
      else if (src?.configMap) w.write(LEVEL_2, `ConfigMapName:\t${s(src.configMap.name)}\n    Optional:\t${b(src.configMap.optional)}\n`);
      else if (src?.serviceAccountToken) w.write(LEVEL_2, `TokenExpirationSeconds:\t${n(src.serviceAccountToken.expirationSeconds)}\n`);
    }
    return;
  }
  if (v.csi) {
    lines(w, 'CSI (a Container Storage Interface (CSI) volume source)', [
      ['Driver:', s(v.csi.driver)],
      ['FSType:', s(v.csi.fsType)],
      ['ReadOnly:', b(v.csi.readOnly)],
    ]);
    printCSIVolumeAttributes(w, v.csi.volumeAttributes);
    return;
  }
  if (v.image) {
    return lines(w, 'Image (a container image or OCI artifact)', [
      ['Reference:', s(v.image.reference)],
      ['PullPolicy:', s(v.image.pullPolicy)],
    ]);
  }
  w.write(LEVEL_1, '<unknown>\n');
}

export function printHostPath(h: any, w: PrefixWriter): void {
  lines(w, 'HostPath (bare host directory volume)', [
    ['Path:', s(h.path)],
    ['HostPathType:', h.type === undefined || h.type === null ? '<none>' : String(h.type)],
  ]);
}

export function printNFS(x: any, w: PrefixWriter): void {
  lines(w, 'NFS (an NFS mount that lasts the lifetime of a pod)', [
    ['Server:', s(x.server)],
    ['Path:', s(x.path)],
    ['ReadOnly:', b(x.readOnly)],
  ]);
}

export function printISCSI(x: any, w: PrefixWriter, pv = false): void {
  lines(w, "ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod)", [
    ['TargetPortal:', s(x.targetPortal)],
    ['IQN:', s(x.iqn)],
    ['Lun:', n(x.lun)],
    ['ISCSIInterface', s(x.iscsiInterface)],
    ['FSType:', s(x.fsType)],
    ['ReadOnly:', b(x.readOnly)],
    ['Portals:', goStringSlice(x.portals)],
    ['DiscoveryCHAPAuth:', b(x.chapAuthDiscovery)],
    ['SessionCHAPAuth:', b(x.chapAuthSession)],
    ['SecretRef:', refV(x.secretRef, pv)],
    ['InitiatorName:', x.initiatorName ?? '<none>'],
  ]);
}

export function printRBD(x: any, w: PrefixWriter, pv = false): void {
  lines(w, "RBD (a Rados Block Device mount on the host that shares a pod's lifetime)", [
    ['CephMonitors:', goStringSlice(x.monitors)],
    ['RBDImage:', s(x.image)],
    ['FSType:', s(x.fsType)],
    ['RBDPool:', s(x.pool)],
    ['RadosUser:', s(x.user)],
    ['Keyring:', s(x.keyring)],
    ['SecretRef:', refV(x.secretRef, pv)],
    ['ReadOnly:', b(x.readOnly)],
  ]);
}

export function printQuobyte(x: any, w: PrefixWriter): void {
  lines(w, "Quobyte (a Quobyte mount on the host that shares a pod's lifetime)", [
    ['Registry:', s(x.registry)],
    ['Volume:', s(x.volume)],
    ['ReadOnly:', b(x.readOnly)],
  ]);
}

export function printAzureDisk(x: any, w: PrefixWriter): void {
  lines(w, 'AzureDisk (an Azure Data Disk mount on the host and bind mount to the pod)', [
    ['DiskName:', s(x.diskName)],
    ['DiskURI:', s(x.diskURI)],
    ['Kind: ', s(x.kind)],
    ['FSType:', s(x.fsType)],
    ['CachingMode:', s(x.cachingMode)],
    ['ReadOnly:', b(x.readOnly)],
  ]);
}

export function printVsphere(x: any, w: PrefixWriter): void {
  lines(w, 'vSphereVolume (a Persistent Disk resource in vSphere)', [
    ['VolumePath:', s(x.volumePath)],
    ['FSType:', s(x.fsType)],
    ['StoragePolicyName:', s(x.storagePolicyName)],
  ]);
}

export function printPhoton(x: any, w: PrefixWriter): void {
  lines(w, 'PhotonPersistentDisk (a Persistent Disk resource in photon platform)', [
    ['PdID:', s(x.pdID)],
    ['FSType:', s(x.fsType)],
  ]);
}

export function printCephFS(x: any, w: PrefixWriter, pv: boolean): void {
  lines(w, "CephFS (a CephFS mount on the host that shares a pod's lifetime)", [
    ['Monitors:', goStringSlice(x.monitors)],
    ['Path:', s(x.path)],
    ['User:', s(x.user)],
    ['SecretFile:', s(x.secretFile)],
    ['SecretRef:', refV(x.secretRef, pv)],
    ['ReadOnly:', b(x.readOnly)],
  ]);
}

export function printStorageOS(x: any, w: PrefixWriter): void {
  lines(w, 'StorageOS (a StorageOS Persistent Disk resource)', [
    ['VolumeName:', s(x.volumeName)],
    ['VolumeNamespace:', s(x.volumeNamespace)],
    ['FSType:', s(x.fsType)],
    ['ReadOnly:', b(x.readOnly)],
  ]);
}

export function printFC(x: any, w: PrefixWriter): void {
  lines(w, 'FC (a Fibre Channel disk)', [
    ['TargetWWNs:', (x.targetWWNs ?? []).join(', ')],
    ['LUN:', x.lun === undefined || x.lun === null ? '<none>' : String(x.lun)],
    ['FSType:', s(x.fsType)],
    ['ReadOnly:', b(x.readOnly)],
  ]);
}

export function printFlex(x: any, w: PrefixWriter): void {
  lines(w, 'FlexVolume (a generic volume resource that is provisioned/attached using an exec based plugin)', [
    ['Driver:', s(x.driver)],
    ['FSType:', s(x.fsType)],
    ['SecretRef:', refV(x.secretRef)],
    ['ReadOnly:', b(x.readOnly)],
    ['Options:', goV(x.options ?? {})],
  ]);
}

export function printFlocker(x: any, w: PrefixWriter): void {
  lines(w, 'Flocker (a Flocker volume mounted by the Flocker agent)', [
    ['DatasetName:', s(x.datasetName)],
    ['DatasetUUID:', s(x.datasetUUID)],
  ]);
}

/** printCSIPersistentVolumeAttributesMultiline */
export function printCSIVolumeAttributes(w: PrefixWriter, attrs: Record<string, string> | undefined): void {
  w.write(LEVEL_2, 'VolumeAttributes:\t');
  const keys = Object.keys(attrs ?? {}).sort((a, c) => (Buffer.compare(Buffer.from(a), Buffer.from(c))));
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) {
      w.write(LEVEL_2, '');
      w.write(LEVEL_2, '\t');
    }
    const line = `${key}=${attrs![key]}`;
    const buf = Buffer.from(line, 'utf8');
    w.write(LEVEL_2, buf.length > 140 ? `${buf.subarray(0, 140).toString('utf8')}...\n` : `${line}\n`);
  });
}

/** storageutil.GetPersistentVolumeClaimClass */
export function pvcClass(pvc: any): string {
  const ann = pvc?.metadata?.annotations ?? {};
  if ('volume.beta.kubernetes.io/storage-class' in ann) return String(ann['volume.beta.kubernetes.io/storage-class']);
  return pvc?.spec?.storageClassName ?? '';
}

/** storageutil.GetAccessModesAsString */
export function accessModesAsString(modes: string[] | undefined): string {
  const set = new Set(modes ?? []);
  const out: string[] = [];
  if (set.has('ReadWriteOnce')) out.push('RWO');
  if (set.has('ReadOnlyMany')) out.push('ROX');
  if (set.has('ReadWriteMany')) out.push('RWX');
  if (set.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/** printPersistentVolumeClaim (full PVC or a claim template) */
export function printPersistentVolumeClaim(w: PrefixWriter, pvc: any, isFull: boolean, since?: (ts: unknown) => string): void {
  const md = pvc?.metadata ?? {};
  const spec = pvc?.spec ?? {};
  if (isFull) {
    w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`);
  }
  w.write(LEVEL_0, `StorageClass:\t${pvcClass(pvc)}\n`);
  if (isFull) {
    if (md.deletionTimestamp && since) w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(md.deletionTimestamp)})\n`);
    else w.write(LEVEL_0, `Status:\t${pvc?.status?.phase ?? ''}\n`);
  }
  w.write(LEVEL_0, `Volume:\t${spec.volumeName ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', md.labels);
  printAnnotationsMultiline(w, 'Annotations', md.annotations);
  if (isFull) w.write(LEVEL_0, `Finalizers:\t${goStringSlice(md.finalizers)}\n`);
  let capacity = '';
  let accessModes = '';
  if (spec.volumeName) {
    accessModes = accessModesAsString(pvc?.status?.accessModes);
    capacity = fmtQuantity(pvc?.status?.capacity?.storage ?? '0');
  }
  w.write(LEVEL_0, `Capacity:\t${capacity}\n`);
  w.write(LEVEL_0, `Access Modes:\t${accessModes}\n`);
  if (spec.volumeMode) w.write(LEVEL_0, `VolumeMode:\t${spec.volumeMode}\n`);
  if (spec.dataSource) {
    w.write(LEVEL_0, 'DataSource:\n');
    if (spec.dataSource.apiGroup !== undefined && spec.dataSource.apiGroup !== null) w.write(LEVEL_1, `APIGroup:\t${spec.dataSource.apiGroup}\n`);
    w.write(LEVEL_1, `Kind:\t${spec.dataSource.kind ?? ''}\n`);
    w.write(LEVEL_1, `Name:\t${spec.dataSource.name ?? ''}\n`);
  }
}
