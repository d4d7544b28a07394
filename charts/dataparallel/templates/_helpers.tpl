{{/* Names are cut to 63 characters: Service and label values are DNS labels. */}}
{{- define "dataparallel.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* <release>-dataparallel, or just <release> when it already holds the chart name. */}}
{{- define "dataparallel.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The operator's Deployment, Service, ConfigMap, RBAC and leader-election Lease. */}}
{{- define "dataparallel.operatorName" -}}
{{- printf "%s-operator" (include "dataparallel.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "dataparallel.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "dataparallel.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dataparallel.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "dataparallel.labels" -}}
helm.sh/chart: {{ include "dataparallel.chart" . }}
{{ include "dataparallel.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The component label keeps the test pod out of the operator Service's endpoints. */}}
{{- define "dataparallel.operatorSelectorLabels" -}}
{{ include "dataparallel.selectorLabels" . }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "dataparallel.operatorLabels" -}}
{{ include "dataparallel.labels" . }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "dataparallel.operatorServiceAccountName" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (include "dataparallel.operatorName" .) .Values.operator.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "dataparallel.workerServiceAccountName" -}}
{{- if .Values.worker.serviceAccount.create }}
{{- default (printf "%s-worker" (include "dataparallel.fullname" .) | trunc 63 | trimSuffix "-") .Values.worker.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.worker.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* repository:tag, the tag defaulting to appVersion. Call with (list .Values.x.image $). */}}
{{- define "dataparallel.image" -}}
{{- $image := index . 0 }}
{{- $root := index . 1 }}
{{- printf "%s:%s" $image.repository (default $root.Chart.AppVersion $image.tag) }}
{{- end }}

{{/* The Lease the operator takes; the leader-election Role is limited to this name. */}}
{{- define "dataparallel.leaseName" -}}
{{- include "dataparallel.operatorName" . }}
{{- end }}

{{/* Fail at install rather than at the first InferenceJob. */}}
{{- define "dataparallel.validate" -}}
{{- if not (hasKey .Values.nodePools .Values.defaultNodePool) }}
{{- fail (printf "defaultNodePool %q is not one of nodePools (%s)" .Values.defaultNodePool (keys .Values.nodePools | sortAlpha | join ", ")) }}
{{- end }}
{{- if and (gt (int .Values.operator.replicas) 1) (not .Values.leaderElection.enabled) }}
{{- fail "operator.replicas > 1 needs leaderElection.enabled: replicas would reconcile the same jobs at once" }}
{{- end }}
{{- end }}
