// Package runtoken is Linux only; elsewhere it is empty.
package runtoken
